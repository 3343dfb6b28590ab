import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { migrate } from '../../src/database/migrate';
import { NationalSizes, seedNational } from '../../scripts/seed/national-seed';
import { progressBar } from '../../scripts/seed/progress';

/** Migrates `url` and seeds the national world of `sizes` into it (idempotent: a kept database is reused). */
export async function seedWorld(label: string, url: string, sizes: NationalSizes, now: Date): Promise<void> {
  await migrate(url);
  const ds = await new DataSource(dataSourceOptions(url, 5)).initialize();
  try {
    const t0 = Date.now();
    const result = await seedNational(ds, { ...sizes, now, progress: progressBar() });
    console.log(
      `seeded ${label}: ${result.locations.planned} branches, ${result.tutors.planned} tutors, ` +
        `${result.bookings.existing + result.bookings.created} bookings in ${((Date.now() - t0) / 1000).toFixed(1)} s` +
        (result.bookings.created === 0 && result.locations.created === 0 ? ' (existed)' : ''),
    );
    // As pgbench does before a run: the bulk load's cleanup (autovacuum setting hint bits and the
    // visibility map, the checkpoint writing its pages) happens now, not inside the measured runs.
    await ds.query('VACUUM ANALYZE');
    await ds.query('CHECKPOINT');
  } finally {
    await ds.destroy();
  }
}
