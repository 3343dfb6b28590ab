import path from 'node:path';
import { ConfigError, Env, readBool, readInt, readString } from './config-error';

export interface NotificationsConfig {
  /** `smtp://user:pass@host:587` (or smtps://); undefined: messages are written as .eml files to `outboxDir`. */
  smtpUrl?: string;
  /** The From address, also the ORGANIZER of the calendar invitations. */
  mailFrom: string;
  /** Where e-mails (without SMTP) and texts (without an SMS gateway) are written. */
  outboxDir: string;
  /** An HTTP SMS gateway: URL, Authorization header and JSON body template; undefined: texts are written to `outboxDir`. */
  sms?: { url: string; auth?: string; template: string };
  /** Whether this process runs the job worker (delivery, reminders, housekeeping). */
  workers: boolean;
  /** Delivery attempts before a message is dead-lettered. */
  maxAttempts: number;
}

/** The SMS body when TUKIAIKA_SMS_TEMPLATE is not set: {to}, {text} and {id} become JSON strings. */
export const DEFAULT_SMS_TEMPLATE = '{"to": {to}, "text": {text}, "id": {id}}';

export function readNotificationsConfig(env: Env, dataDir: string): NotificationsConfig {
  const smtpUrl = readString(env, 'TUKIAIKA_SMTP_URL');
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl)) throw new ConfigError('TUKIAIKA_SMTP_URL', 'must be an smtp:// or smtps:// URL');
  const mailFrom = readString(env, 'TUKIAIKA_MAIL_FROM', 'tukiaika@localhost')!;
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(mailFrom)) throw new ConfigError('TUKIAIKA_MAIL_FROM', 'must be an e-mail address such as digituki@kirjasto.example.fi');
  const smsUrl = readString(env, 'TUKIAIKA_SMS_URL');
  if (smsUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(smsUrl)) throw new ConfigError('TUKIAIKA_SMS_URL', 'must be an http:// or https:// URL');
  const template = readString(env, 'TUKIAIKA_SMS_TEMPLATE', DEFAULT_SMS_TEMPLATE)!;
  if (!template.includes('{text}') || !template.includes('{to}')) throw new ConfigError('TUKIAIKA_SMS_TEMPLATE', 'must contain {to} and {text}');
  return {
    smtpUrl,
    mailFrom,
    outboxDir: path.join(dataDir, 'outbox'),
    sms: smsUrl ? { url: smsUrl, auth: readString(env, 'TUKIAIKA_SMS_AUTH'), template } : undefined,
    // Off in tests, which deliver by hand with their own clock.
    workers: readBool(env, 'TUKIAIKA_WORKERS', env.NODE_ENV !== 'test'),
    maxAttempts: readInt(env, 'TUKIAIKA_MESSAGE_ATTEMPTS', 6, 1, 50),
  };
}
