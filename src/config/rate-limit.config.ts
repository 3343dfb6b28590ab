import { Env, readInt } from './config-error';

export interface RateLimitConfig {
  /** Failed or attempted logins per account within the window. */
  loginPerAccount: number;
  /** Login attempts per client IP within the window. */
  loginPerIp: number;
  windowSeconds: number;
}

export function readRateLimitConfig(env: Env): RateLimitConfig {
  return {
    loginPerAccount: readInt(env, 'TUKIAIKA_RATE_LOGIN_PER_ACCOUNT', 10, 1, 1_000_000),
    loginPerIp: readInt(env, 'TUKIAIKA_RATE_LOGIN_PER_IP', 50, 1, 1_000_000),
    windowSeconds: readInt(env, 'TUKIAIKA_RATE_WINDOW_SECONDS', 900, 1, 86400),
  };
}
