import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource, QueryRunner } from 'typeorm';

/**
 * SQL functions and triggers are source files (`sql/*.sql` beside the module that owns them),
 * applied after the versioned migrations by a repeatable step, as Flyway's repeatable migrations
 * are: a file is applied again when its text changed (or something it defines is missing), all
 * in one transaction, and recorded in `sql_sources`. The set is constructive: afterwards a
 * function or trigger of the app's schema that no file defines (an older signature, a removed
 * file's function) is dropped, so the database holds exactly what the files say.
 */

/** The folder the names below are relative to: src/ from TypeScript, dist/src/ when built (the build copies the files). */
export const SQL_SOURCE_ROOT = path.join(__dirname, '..');

/** Every SQL source, in the order they are applied: a file after the ones it needs. */
export const SQL_SOURCES = [
  'common/rate-limit/sql/consume_rate_limits.sql',
  'modules/bookings/sql/booking_guard_key.sql',
  'modules/bookings/sql/decide_booking.sql',
  'modules/bookings/sql/place_booking.sql',
  'modules/bookings/sql/place_bookings.sql',
  'modules/claims/sql/claim_advisors_in_step.sql',
  'modules/slots/sql/bump_search_input_version.sql',
  'modules/slots/sql/search_input_version_triggers.sql',
  'modules/notifications/sql/booking_event_messages.sql',
  'modules/notifications/sql/claim_event_messages.sql',
];

export interface SqlSource {
  name: string;
  sql: string;
  checksum: string;
}

export function readSqlSources(root = SQL_SOURCE_ROOT, names = SQL_SOURCES): SqlSource[] {
  return names.map((name) => {
    const sql = readFileSync(path.join(root, name), 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

/**
 * The functions and triggers of the current schema that belong to no extension, each as the
 * object's identity in SQL (`function f(integer)`, `trigger t ON tbl`: "DROP " + it drops it),
 * with the version of its catalog row, which every CREATE OR REPLACE or re-creation changes.
 */
const CATALOG_SQL = `
SELECT 'function ' || p.oid::regprocedure::text AS object, p.xmin::text || p.ctid::text AS row_version
FROM pg_proc p
WHERE p.pronamespace = current_schema()::regnamespace
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'trigger ' || quote_ident(t.tgname) || ' ON ' || t.tgrelid::regclass::text, t.xmin::text || t.ctid::text
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;

export async function catalogObjects(db: { query(sql: string): Promise<unknown> }): Promise<Map<string, string>> {
  const rows = (await db.query(CATALOG_SQL)) as { object: string; row_version: string }[];
  return new Map(rows.map((r) => [r.object, r.row_version]));
}

export interface SqlSourcesResult {
  applied: string[];
  dropped: string[];
}

/**
 * Applies the sources whose checksum differs from the recorded one (or that define something
 * missing), in the given order, records them, and drops the functions and triggers no source
 * defines. One transaction: any error rolls all of it back, with the file's name in the message.
 */
export async function applySqlSources(
  ds: DataSource,
  sources: SqlSource[],
  log: (line: string) => void = () => undefined,
): Promise<SqlSourcesResult> {
  const q = ds.createQueryRunner();
  await q.connect();
  try {
    await q.startTransaction();
    try {
      const result = await applyInTransaction(q, sources, log);
      await q.commitTransaction();
      return result;
    } catch (error) {
      await q.rollbackTransaction();
      throw error;
    }
  } finally {
    await q.release();
  }
}

async function applyInTransaction(q: QueryRunner, sources: SqlSource[], log: (line: string) => void): Promise<SqlSourcesResult> {
  // Two instances starting at once apply the files one after the other.
  await q.query(`SELECT pg_advisory_xact_lock(hashtextextended('tukiaika:sql_sources', 0))`);
  const recorded = new Map<string, { checksum: string; defines: string[] }>(
    (await q.query(`SELECT name, checksum, defines FROM sql_sources`)).map(
      (r: { name: string; checksum: string; defines: string[] }) => [r.name, r],
    ),
  );
  const definedBy = new Map<string, string>();
  for (const [name, r] of recorded) {
    if (sources.some((s) => s.name === name)) for (const object of r.defines) definedBy.set(object, name);
  }

  const applied: string[] = [];
  let present = await catalogObjects(q);
  for (const source of sources) {
    const before = recorded.get(source.name);
    if (before && before.checksum === source.checksum && before.defines.every((object) => present.has(object))) continue;
    try {
      await q.query(source.sql);
    } catch (error) {
      throw new Error(`SQL source ${source.name} failed: ${(error as Error).message}`, { cause: error });
    }
    const after = await catalogObjects(q);
    const defines = [...after].filter(([object, version]) => present.get(object) !== version).map(([object]) => object).sort();
    present = after;
    if (defines.length === 0) throw new Error(`SQL source ${source.name} defines no function or trigger.`);
    for (const object of before?.defines ?? []) if (definedBy.get(object) === source.name) definedBy.delete(object);
    for (const object of defines) {
      const other = definedBy.get(object);
      if (other && other !== source.name) throw new Error(`SQL sources ${other} and ${source.name} both define ${object}.`);
      definedBy.set(object, source.name);
    }
    await q.query(
      `INSERT INTO sql_sources (name, checksum, defines, applied_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, defines = excluded.defines, applied_at = excluded.applied_at`,
      [source.name, source.checksum, defines],
    );
    applied.push(source.name);
    log(`sql source applied: ${source.name}`);
  }
  await q.query(`DELETE FROM sql_sources WHERE NOT (name = ANY ($1::text[]))`, [sources.map((s) => s.name)]);

  // Leftovers: triggers first (they depend on their functions). No CASCADE: a leftover that
  // something else still needs (an index, a default) stops the step with PostgreSQL's reason.
  const defined = new Set(definedBy.keys());
  const leftovers = [...present.keys()].filter((object) => !defined.has(object));
  leftovers.sort((a, b) => Number(b.startsWith('trigger ')) - Number(a.startsWith('trigger ')) || a.localeCompare(b));
  for (const object of leftovers) {
    try {
      await q.query(`DROP ${object}`);
    } catch (error) {
      throw new Error(`Could not drop ${object}, which no SQL source defines: ${(error as Error).message}`, { cause: error });
    }
    log(`sql source leftover dropped: ${object}`);
  }
  return { applied, dropped: leftovers };
}
