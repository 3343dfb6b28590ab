import { AuthConfig, readAuthConfig } from './auth.config';
import { Env, readBool, readInt } from './config-error';
import { DatabaseConfig, readDatabaseConfig } from './database.config';
import { NotificationsConfig, readNotificationsConfig } from './notifications.config';
import { RateLimitConfig, readRateLimitConfig } from './rate-limit.config';
import { readServerConfig, ServerConfig } from './server.config';

export interface AppConfig {
  server: ServerConfig;
  database: DatabaseConfig;
  auth: AuthConfig;
  rateLimit: RateLimitConfig;
  notifications: NotificationsConfig;
  demoData: boolean;
  /** Seconds between purges of expired idempotency keys and rate-limit counters; 0 = off. */
  housekeepingSeconds: number;
}

/** DI token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Reads and validates every namespace once; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const database = readDatabaseConfig(env);
  const embedded = database.url === undefined;
  return {
    server: readServerConfig(env),
    database,
    auth: readAuthConfig(env, { secretRequired: !embedded }),
    rateLimit: readRateLimitConfig(env),
    notifications: readNotificationsConfig(env, database.dataDir),
    demoData: readBool(env, 'TUKIAIKA_DEMO_DATA', embedded) && env.NODE_ENV !== 'test',
    // Off in tests, which run a pass by hand with their own clock.
    housekeepingSeconds: readInt(env, 'TUKIAIKA_HOUSEKEEPING_SECONDS', env.NODE_ENV === 'test' ? 0 : 300, 0, 86_400),
  };
}
