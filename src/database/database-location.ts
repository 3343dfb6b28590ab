import path from 'node:path';
import { AppConfig } from '../config/app-config';
import { readOrCreateSecretFile, startEmbeddedPostgres } from './embedded-postgres';

export interface DatabaseLocation {
  url: string;
  embedded: boolean;
  /** The auth secret, generated and kept in the data folder in embedded mode. */
  authSecret: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded server in $TUKIAIKA_DATA_DIR/postgres. */
export async function openDatabase(config: AppConfig): Promise<DatabaseLocation> {
  if (config.database.url) {
    return { url: config.database.url, embedded: false, authSecret: config.auth.secret, stop: async () => undefined };
  }
  const server = await startEmbeddedPostgres({
    clusterDir: path.join(config.database.dataDir, 'postgres'),
    port: config.database.embeddedPort,
    database: 'tukiaika',
    restartWhenItDies: true,
    report: (line) => console.log(line),
  });
  const authSecret = config.auth.secret || (await readOrCreateSecretFile(path.join(config.database.dataDir, 'auth-secret')));
  return { url: server.url, embedded: true, authSecret, stop: () => server.stop() };
}
