import { Env, readInt, readString } from './config-error';

export interface ServerConfig {
  port: number;
  host: string;
  /** Addresses (or CIDR ranges) of proxies whose X-Forwarded-For is believed. */
  trustedProxies: string[];
}

export function readServerConfig(env: Env): ServerConfig {
  return {
    port: readInt(env, 'PORT', 3000, 0, 65535),
    host: readString(env, 'HOST', '127.0.0.1')!,
    trustedProxies: (readString(env, 'TUKIAIKA_TRUSTED_PROXIES') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}
