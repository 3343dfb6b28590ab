import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { migrate } from '../src/database/migrate';
import { DEFAULT_SEED, FULL_SIZES, NationalSizes, scaledSizes, seedNational } from './seed/national-seed';
import { progressBar } from './seed/progress';
import { fail, withDatabase } from './with-database';

const USAGE = `npm run seed:national -- [--scale 0.1] [--branches 800] [--tutors 3000] [--bookings 100000] [--partners 150] [--claims 2000]
                          [--seed text] [--horizon-days 56] [--reset]

Adds the national test dataset (branches with nat- slugs, tutors with nat-tutor-…@digituki.invalid
addresses, confirmed future bookings on real slots; partners with nat-partner-… contact addresses, their
advisors and approved claims, a quarter of them drop-in) to DATABASE_URL, or to the embedded database.
Running it again keeps what exists and tops bookings up; --reset deletes the national rows first.`;

function count(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 10_000_000) fail(`--${name} must be a whole number (got ${value})`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      branches: { type: 'string' },
      tutors: { type: 'string' },
      bookings: { type: 'string' },
      partners: { type: 'string' },
      claims: { type: 'string' },
      seed: { type: 'string' },
      'horizon-days': { type: 'string' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  let base: NationalSizes = FULL_SIZES;
  if (values.scale !== undefined) {
    const scale = Number(values.scale);
    if (!(scale > 0 && scale <= 10)) fail(`--scale must be a number in (0, 10] (got ${values.scale})`);
    base = scaledSizes(scale);
  }
  const sizes: NationalSizes = {
    branches: Math.max(1, count(values.branches, 'branches', base.branches)),
    tutors: count(values.tutors, 'tutors', base.tutors),
    bookings: count(values.bookings, 'bookings', base.bookings),
    partners: count(values.partners, 'partners', base.partners ?? 0),
    claims: count(values.claims, 'claims', base.claims ?? 0),
  };
  const horizonDays = count(values['horizon-days'], 'horizon-days', 56);
  if (horizonDays < 1 || horizonDays > 62) fail('--horizon-days must be between 1 and 62');

  await withDatabase(async (url) => {
    await migrate(url);
    const ds = await new DataSource(dataSourceOptions(url, 5)).initialize();
    const started = Date.now();
    try {
      console.error(
        `Seeding ${sizes.branches} branches, ${sizes.tutors} tutors, ${sizes.bookings} bookings, ${sizes.partners} partners, ${sizes.claims} claims (seed ${values.seed ?? DEFAULT_SEED})`,
      );
      const result = await seedNational(ds, { ...sizes, seed: values.seed, horizonDays, reset: values.reset, progress: progressBar() });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (result.removed) console.log(`removed: ${result.removed.locations} branches, ${result.removed.tutors} tutors, ${result.removed.bookings} bookings`);
      console.log(`branches: ${result.locations.created} created, ${result.locations.planned - result.locations.created} existed`);
      console.log(`tutors:   ${result.tutors.created} created, ${result.tutors.planned - result.tutors.created} existed`);
      console.log(`partners: ${result.partners.created} created, ${result.partners.planned - result.partners.created} existed`);
      console.log(`claims:   ${result.claims.created} created${result.claims.created ? '' : ' (the national partners had claims already, or none were asked for)'}`);
      console.log(
        `bookings: ${result.bookings.created} created, ${result.bookings.existing} future ones existed (target ${result.bookings.target}` +
          `${result.bookings.freeSlots ? `, ${result.bookings.freeSlots} free slots to choose from` : ''})`,
      );
      if (result.bookings.existing + result.bookings.created < result.bookings.target) {
        console.log('  (fewer free slots than the target: every free slot in the horizon is booked)');
      }
      console.log(`done in ${seconds} s`);
    } finally {
      await ds.destroy();
    }
  });
}

main().catch(fail);
