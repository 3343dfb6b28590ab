import path from 'node:path';
import { ConfigError, Env, readInt, readString } from './config-error';

export interface DatabaseConfig {
  /** Set when an external PostgreSQL is used; absent means the embedded server. */
  url?: string;
  dataDir: string;
  /** Fixed port for the embedded server; absent means any free local port. */
  embeddedPort?: number;
  poolSize: number;
  /** Booking statements in flight at once; requests arriving meanwhile wait and go out together. */
  bookingWriters: number;
  /** At most this many booking requests in one transaction (1: each alone). */
  bookingBatch: number;
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
    bookingWriters: readInt(env, 'TUKIAIKA_BOOKING_WRITERS', 1, 1, 200),
    // Each booking in a batch holds a few locks and a subtransaction until the batch commits;
    // beyond 64 subtransactions every snapshot in the server gets slower.
    bookingBatch: readInt(env, 'TUKIAIKA_BOOKING_BATCH', 16, 1, 32),
  };
}
