import { ConfigError } from './config-error';
import { DEFAULT_SMS_TEMPLATE, readNotificationsConfig } from './notifications.config';

describe('notifications config', () => {
  it('writes messages to files in the data folder by default, and runs the worker outside tests', () => {
    expect(readNotificationsConfig({}, '/var/tukiaika')).toEqual({
      smtpUrl: undefined,
      mailFrom: 'tukiaika@localhost',
      outboxDir: '/var/tukiaika/outbox',
      sms: undefined,
      workers: true,
      maxAttempts: 6,
    });
    expect(readNotificationsConfig({ NODE_ENV: 'test' }, '/d').workers).toBe(false);
    expect(readNotificationsConfig({ TUKIAIKA_WORKERS: 'false' }, '/d').workers).toBe(false);
  });

  it('takes an SMTP server, a sender and an SMS gateway', () => {
    const c = readNotificationsConfig(
      { TUKIAIKA_SMTP_URL: 'smtp://u:p@mail.example.fi:587', TUKIAIKA_MAIL_FROM: 'digituki@kirjasto.fi', TUKIAIKA_SMS_URL: 'https://sms.example.fi/send', TUKIAIKA_SMS_AUTH: 'Bearer x' },
      '/d',
    );
    expect(c).toMatchObject({ smtpUrl: 'smtp://u:p@mail.example.fi:587', mailFrom: 'digituki@kirjasto.fi', sms: { url: 'https://sms.example.fi/send', auth: 'Bearer x', template: DEFAULT_SMS_TEMPLATE } });
  });

  it.each([
    ['TUKIAIKA_SMTP_URL', 'mail.example.fi'],
    ['TUKIAIKA_MAIL_FROM', 'not an address'],
    ['TUKIAIKA_SMS_URL', 'ftp://sms'],
    ['TUKIAIKA_SMS_TEMPLATE', '{"message": {text}}'],
    ['TUKIAIKA_MESSAGE_ATTEMPTS', '0'],
    ['TUKIAIKA_WORKERS', 'sometimes'],
  ])('stops the start on a bad %s, naming it', (name, value) => {
    expect(() => readNotificationsConfig({ [name]: value }, '/d')).toThrow(ConfigError);
    expect(() => readNotificationsConfig({ [name]: value }, '/d')).toThrow(name);
  });
});
