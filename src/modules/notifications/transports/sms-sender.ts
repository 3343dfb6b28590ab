import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NotificationsConfig } from '../../../config/notifications.config';

/** One text message: `id` is the outbox row's, the same on every attempt (gateways can drop repeats). */
export interface OutgoingSms {
  id: string;
  /** E.164. */
  to: string;
  text: string;
}

/** A way to send texts; throws when the message was not accepted. */
export interface SmsSender {
  readonly description: string;
  send(sms: OutgoingSms): Promise<void>;
}

/** Without a gateway: each text is written as `<outbox>/<id>.sms.json`. */
export class FileSmsSender implements SmsSender {
  constructor(private readonly dir: string) {}

  get description(): string {
    return `files in ${this.dir}`;
  }

  async send(sms: OutgoingSms): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFile(path.join(this.dir, `${sms.id}.sms.json`), JSON.stringify(sms, null, 2), { mode: 0o600 });
  }
}

/**
 * An HTTP gateway: POST to TUKIAIKA_SMS_URL with the body TUKIAIKA_SMS_TEMPLATE, where `{to}`,
 * `{text}` and `{id}` become JSON strings, and TUKIAIKA_SMS_AUTH as the Authorization header.
 * Any 2xx is acceptance.
 */
export class HttpSmsSender implements SmsSender {
  constructor(
    private readonly gateway: NonNullable<NotificationsConfig['sms']>,
    private readonly timeoutMs = 15_000,
  ) {}

  get description(): string {
    return 'HTTP gateway';
  }

  async send(sms: OutgoingSms): Promise<void> {
    const values: Record<string, string> = { to: sms.to, text: sms.text, id: sms.id };
    const body = this.gateway.template.replace(/\{(to|text|id)\}/g, (_, k: string) => JSON.stringify(values[k]));
    const response = await fetch(this.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.gateway.auth ? { authorization: this.gateway.auth } : {}) },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
  }
}

export function smsSenderFor(config: Pick<NotificationsConfig, 'sms' | 'outboxDir'>): SmsSender {
  return config.sms ? new HttpSmsSender(config.sms) : new FileSmsSender(config.outboxDir);
}
