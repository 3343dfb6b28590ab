import type { Client } from 'pg';

/**
 * Makes the new cluster's WAL look like a running server's: `count` segments written and
 * checkpointed, which PostgreSQL then keeps, renamed, as the next segments (up to max_wal_size).
 * A new cluster has none, so each 16 MB segment would be created by writing 16 MB of zeros
 * (wal_init_zero) inside whichever commit first needed it: one batch in ≈ 5,700 bookings would
 * take ≈ 40 ms longer, and up to ≈ 300 ms when the disk is busy. A server that has been running
 * reuses its old segments instead. Returns how many segments are ready.
 */
export async function recycledWalSegments(admin: Client, count: number): Promise<number> {
  for (let i = 0; i < count; i++) {
    // A WAL record, so that there is something to switch away from.
    await admin.query(`SELECT pg_logical_emit_message(false, 'tukiaika-bench', 'wal'), pg_switch_wal()`);
  }
  await admin.query('CHECKPOINT');
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' AND name > pg_walfile_name(pg_current_wal_lsn())`,
  );
  return rows[0].n;
}
