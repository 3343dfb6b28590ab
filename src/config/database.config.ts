import path from 'node:path';
import { ConfigError, Env, readInt, readString } from './config-error';

export interface DatabaseConfig {
  /** Set when an external PostgreSQL is used; absent means the embedded server. */
  url?: string;
  dataDir: string;
  /** Fixed port for the embedded server; absent means any free local port. */
  embeddedPort?: number;
  poolSize: number;
}

export function readDatabaseConfig(env: Env): DatabaseConfig {
  const url = readString(env, 'DATABASE_URL');
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }
  const port = readString(env, 'TUKIAIKA_DB_PORT');
  return {
    url,
    dataDir: path.resolve(readString(env, 'TUKIAIKA_DATA_DIR', './.data')!),
    embeddedPort: port === undefined ? undefined : readInt(env, 'TUKIAIKA_DB_PORT', 0, 1, 65535),
    poolSize: readInt(env, 'TUKIAIKA_DB_POOL_SIZE', 10, 1, 200),
  };
}
