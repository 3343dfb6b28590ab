import { Env, readInt } from './config-error';

export interface RateLimitConfig {
  /** Failed logins per account from one client address within the window; then 429 for that address. */
  loginFailuresPerAccountIp: number;
  /** Failed logins per account from all addresses; past it each attempt is delayed, never refused. */
  loginFailuresPerAccount: number;
  /** Failed logins per client address (all accounts) within the window. */
  loginPerIp: number;
  /** Public booking attempts (POST /bookings) per client IP within the window. */
  bookingPerIp: number;
  /** Public booking attempts per contact (normalised phone, e-mail) within the window. */
  bookingPerContact: number;
  windowSeconds: number;
}

export function readRateLimitConfig(env: Env): RateLimitConfig {
  return {
    // TUKIAIKA_RATE_LOGIN_PER_ACCOUNT was the earlier name of the per-account-and-address figure.
    loginFailuresPerAccountIp: readInt(env, 'TUKIAIKA_RATE_LOGIN_FAILURES_PER_ACCOUNT_IP', readInt(env, 'TUKIAIKA_RATE_LOGIN_PER_ACCOUNT', 10, 1, 1_000_000), 1, 1_000_000),
    loginFailuresPerAccount: readInt(env, 'TUKIAIKA_RATE_LOGIN_FAILURES_PER_ACCOUNT', 100, 1, 1_000_000),
    loginPerIp: readInt(env, 'TUKIAIKA_RATE_LOGIN_PER_IP', 50, 1, 1_000_000),
    bookingPerIp: readInt(env, 'TUKIAIKA_RATE_BOOKING_PER_IP', 60, 1, 1_000_000),
    bookingPerContact: readInt(env, 'TUKIAIKA_RATE_BOOKING_PER_CONTACT', 10, 1, 1_000_000),
    windowSeconds: readInt(env, 'TUKIAIKA_RATE_WINDOW_SECONDS', 900, 1, 86400),
  };
}
