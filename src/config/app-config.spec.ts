import { loadConfig } from './app-config';
import { ConfigError } from './config-error';

const SECRET = 'x'.repeat(32);

describe('loadConfig', () => {
  it('defaults to the embedded database with demo data on', () => {
    const config = loadConfig({});
    expect(config.server.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.database.dataDir).toMatch(/\.data$/);
    expect(config.demoData).toBe(true);
    expect(config.auth.secret).toBe('');
  });

  it('turns demo data off with DATABASE_URL and always in tests', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db', TUKIAIKA_AUTH_SECRET: SECRET }).demoData).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', TUKIAIKA_DEMO_DATA: 'true' }).demoData).toBe(false);
  });

  it('sends one booking statement at a time with up to 16 bookings by default', () => {
    expect(loadConfig({}).database).toMatchObject({ bookingWriters: 1, bookingBatch: 16 });
    expect(loadConfig({ TUKIAIKA_BOOKING_WRITERS: '3', TUKIAIKA_BOOKING_BATCH: '1' }).database).toMatchObject({ bookingWriters: 3, bookingBatch: 1 });
  });

  it('runs housekeeping every 5 minutes by default, not in tests unless asked, and never with 0', () => {
    expect(loadConfig({}).housekeepingSeconds).toBe(300);
    expect(loadConfig({ NODE_ENV: 'test' }).housekeepingSeconds).toBe(0);
    expect(loadConfig({ NODE_ENV: 'test', TUKIAIKA_HOUSEKEEPING_SECONDS: '60' }).housekeepingSeconds).toBe(60);
    expect(loadConfig({ TUKIAIKA_HOUSEKEEPING_SECONDS: '0' }).housekeepingSeconds).toBe(0);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://h/db' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://h/db' }, 'TUKIAIKA_AUTH_SECRET'],
    [{ TUKIAIKA_AUTH_SECRET: 'short' }, 'TUKIAIKA_AUTH_SECRET'],
    [{ TUKIAIKA_ADMIN_EMAIL: 'a@b.fi' }, 'TUKIAIKA_ADMIN_PASSWORD'],
    [{ TUKIAIKA_ADMIN_EMAIL: 'nope', TUKIAIKA_ADMIN_PASSWORD: 'long-enough-pass' }, 'TUKIAIKA_ADMIN_EMAIL'],
    [{ TUKIAIKA_DEMO_DATA: 'maybe' }, 'TUKIAIKA_DEMO_DATA'],
    [{ TUKIAIKA_DB_PORT: '0' }, 'TUKIAIKA_DB_PORT'],
    [{ TUKIAIKA_RATE_LOGIN_PER_IP: '-1' }, 'TUKIAIKA_RATE_LOGIN_PER_IP'],
    [{ TUKIAIKA_HOUSEKEEPING_SECONDS: 'hourly' }, 'TUKIAIKA_HOUSEKEEPING_SECONDS'],
    [{ TUKIAIKA_HOUSEKEEPING_SECONDS: '-5' }, 'TUKIAIKA_HOUSEKEEPING_SECONDS'],
    [{ TUKIAIKA_BOOKING_WRITERS: '0' }, 'TUKIAIKA_BOOKING_WRITERS'],
    [{ TUKIAIKA_BOOKING_BATCH: '33' }, 'TUKIAIKA_BOOKING_BATCH'],
    [{ TUKIAIKA_BOOKING_BATCH: 'many' }, 'TUKIAIKA_BOOKING_BATCH'],
  ])('stops on %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it('does not echo the bad value', () => {
    expect(() => loadConfig({ TUKIAIKA_AUTH_SECRET: 'my-secret' })).not.toThrow(/my-secret/);
  });

  it('reads trusted proxies and the admin', () => {
    const config = loadConfig({ TUKIAIKA_TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16', TUKIAIKA_ADMIN_EMAIL: 'Admin@Example.fi', TUKIAIKA_ADMIN_PASSWORD: 'long-enough-pass' });
    expect(config.server.trustedProxies).toEqual(['10.0.0.1', '192.168.0.0/16']);
    expect(config.auth.admin).toEqual({ email: 'admin@example.fi', password: 'long-enough-pass' });
  });

  it('reads TUKIAIKA_PUBLIC_URL as an origin (with an optional path), unset by default', () => {
    expect(loadConfig({}).server.publicUrl).toBeUndefined();
    expect(loadConfig({ TUKIAIKA_PUBLIC_URL: 'https://Tukiaika.Example.fi/' }).server.publicUrl).toBe('https://tukiaika.example.fi');
    expect(loadConfig({ TUKIAIKA_PUBLIC_URL: 'https://kirjasto.example.fi/digituki/' }).server.publicUrl).toBe('https://kirjasto.example.fi/digituki');
    for (const bad of ['tukiaika.example.fi', 'ftp://x.fi', 'https://x.fi/?a=1', 'https://u:p@x.fi']) {
      expect(() => loadConfig({ TUKIAIKA_PUBLIC_URL: bad })).toThrow(/TUKIAIKA_PUBLIC_URL/);
    }
  });
});
