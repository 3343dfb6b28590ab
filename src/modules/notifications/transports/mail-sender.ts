import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';
import type { NotificationsConfig } from '../../../config/notifications.config';

/** One e-mail as the outbox sends it. */
export interface OutgoingMail {
  /** The outbox row's id: the Message-ID is `<id@tukiaika>` on every attempt. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The booking's calendar file, as an invitation (REQUEST) or its withdrawal (CANCEL). */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

export const messageIdOf = (id: string) => `<${id}@tukiaika>`;

/**
 * E-mail through nodemailer: over SMTP when TUKIAIKA_SMTP_URL is set, else each message is
 * written as `<outbox>/<id>.eml` (a retry overwrites the same file). Throws when the server
 * refuses or cannot be reached; the outbox decides about retries.
 */
export class MailSender {
  private readonly transport: Transporter;
  private readonly toFiles: boolean;

  constructor(private readonly config: Pick<NotificationsConfig, 'smtpUrl' | 'mailFrom' | 'outboxDir'>) {
    this.toFiles = !config.smtpUrl;
    this.transport = config.smtpUrl
      ? nodemailer.createTransport(config.smtpUrl, { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 } as never)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  }

  /** What the logs may say about where mail goes (never the URL: it may hold a password). */
  get description(): string {
    return this.toFiles ? `files in ${this.config.outboxDir}` : 'SMTP';
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = (await this.transport.sendMail({
      messageId: messageIdOf(mail.id),
      from: this.config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      ...(mail.calendar ? { icalEvent: { method: mail.calendar.method, filename: 'tukiaika.ics', content: mail.calendar.content } } : {}),
    })) as { message?: Buffer };
    if (this.toFiles) {
      await mkdir(this.config.outboxDir, { recursive: true, mode: 0o700 });
      await writeFile(path.join(this.config.outboxDir, `${mail.id}.eml`), info.message!, { mode: 0o600 });
    }
  }

  close(): void {
    this.transport.close();
  }
}
