import { Env, readInt } from './config-error';

export interface RateLimitConfig {
  /** Failed or attempted logins per account within the window. */
  loginPerAccount: number;
  /** Login attempts per client IP within the window. */
  loginPerIp: number;
  /** Public booking attempts (POST /bookings) per client IP within the window. */
  bookingPerIp: number;
  /** Public booking attempts per contact (normalised phone, e-mail) within the window. */
  bookingPerContact: number;
  windowSeconds: number;
}

export function readRateLimitConfig(env: Env): RateLimitConfig {
  return {
    loginPerAccount: readInt(env, 'TUKIAIKA_RATE_LOGIN_PER_ACCOUNT', 10, 1, 1_000_000),
    loginPerIp: readInt(env, 'TUKIAIKA_RATE_LOGIN_PER_IP', 50, 1, 1_000_000),
    bookingPerIp: readInt(env, 'TUKIAIKA_RATE_BOOKING_PER_IP', 60, 1, 1_000_000),
    bookingPerContact: readInt(env, 'TUKIAIKA_RATE_BOOKING_PER_CONTACT', 10, 1, 1_000_000),
    windowSeconds: readInt(env, 'TUKIAIKA_RATE_WINDOW_SECONDS', 900, 1, 86400),
  };
}
