import { ConfigError, Env, readInt, readString } from './config-error';

export interface ServerConfig {
  port: number;
  host: string;
  /** Addresses (or CIDR ranges) of proxies whose X-Forwarded-For is believed. */
  trustedProxies: string[];
  /**
   * The origin residents reach the service at (links in pages and messages, e.g. the manage
   * link); undefined: the origin of the request being answered.
   */
  publicUrl?: string;
}

export function readServerConfig(env: Env): ServerConfig {
  return {
    port: readInt(env, 'PORT', 3000, 0, 65535),
    host: readString(env, 'HOST', '127.0.0.1')!,
    trustedProxies: (readString(env, 'TUKIAIKA_TRUSTED_PROXIES') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    publicUrl: readPublicUrl(env),
  };
}

/** TUKIAIKA_PUBLIC_URL: an http(s) origin, optionally with a path prefix; no query or fragment. */
function readPublicUrl(env: Env): string | undefined {
  const raw = readString(env, 'TUKIAIKA_PUBLIC_URL');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('TUKIAIKA_PUBLIC_URL', 'must be an absolute URL such as https://tukiaika.example.fi');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('TUKIAIKA_PUBLIC_URL', 'must start with https:// or http://');
  if (url.search || url.hash || url.username || url.password) throw new ConfigError('TUKIAIKA_PUBLIC_URL', 'must not contain a query, a fragment or credentials');
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
