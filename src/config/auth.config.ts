import { ConfigError, Env, readInt, readString } from './config-error';

export interface AuthConfig {
  /** Signs access tokens; other keys are derived from it (see common/crypto). */
  secret: string;
  tokenTtlSeconds: number;
  admin?: { email: string; password: string };
}

/**
 * `secret` may be absent here only in embedded mode, where main.ts generates one and keeps it
 * in the data folder before calling this again.
 */
export function readAuthConfig(env: Env, opts: { secretRequired: boolean }): AuthConfig {
  const secret = readString(env, 'TUKIAIKA_AUTH_SECRET');
  if (secret === undefined && opts.secretRequired) {
    throw new ConfigError('TUKIAIKA_AUTH_SECRET', 'is required when DATABASE_URL is set');
  }
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError('TUKIAIKA_AUTH_SECRET', 'must be at least 32 characters long');
  }
  const email = readString(env, 'TUKIAIKA_ADMIN_EMAIL');
  const password = readString(env, 'TUKIAIKA_ADMIN_PASSWORD');
  if ((email === undefined) !== (password === undefined)) {
    throw new ConfigError(
      email === undefined ? 'TUKIAIKA_ADMIN_EMAIL' : 'TUKIAIKA_ADMIN_PASSWORD',
      'must be set together with the other admin variable',
    );
  }
  if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    throw new ConfigError('TUKIAIKA_ADMIN_EMAIL', 'must be an e-mail address');
  }
  if (password !== undefined && password.length < 12) {
    throw new ConfigError('TUKIAIKA_ADMIN_PASSWORD', 'must be at least 12 characters long');
  }
  return {
    secret: secret ?? '',
    tokenTtlSeconds: readInt(env, 'TUKIAIKA_TOKEN_TTL_SECONDS', 3600, 60, 86400),
    admin: email && password ? { email: email.toLowerCase(), password } : undefined,
  };
}
