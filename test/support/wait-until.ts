/** Polls `ready` (e.g. for a session waiting on a lock in pg_stat_activity) without sleeping. */
export async function waitUntil(ready: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await ready()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('waitUntil: never ready');
}
