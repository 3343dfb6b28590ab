import { loadConfig } from '../src/config/app-config';
import { openDatabase } from '../src/database/database-location';

/**
 * Runs `work` against the configured database: DATABASE_URL, or the embedded server in the
 * data folder (started for the duration and stopped after).
 */
export async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const database = await openDatabase(loadConfig());
  try {
    return await work(database.url);
  } finally {
    await database.stop();
  }
}

export function fail(error: unknown): never {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
