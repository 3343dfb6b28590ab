import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { applySqlSources, catalogObjects, readSqlSources, SQL_SOURCE_ROOT, SQL_SOURCES } from '../../src/database/sql-sources';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The repeatable step that applies the modules' sql/*.sql files after the migrations, against a
 * database migrated the way the app migrates (the test run's template).
 */
describe('SQL sources', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let tempRoot: string | undefined;

  beforeEach(async () => {
    db = await createTestDatabase();
    ds = await new DataSource(dataSourceOptions(db.url, 1)).initialize();
  });
  afterEach(async () => {
    await ds.destroy();
    await db.drop();
    if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
    tempRoot = undefined;
  });

  /** A copy of the SQL sources to change, with `extra` files added (name → text). */
  const copyOfSources = (extra: Record<string, string> = {}): string => {
    tempRoot = mkdtempSync(path.join(os.tmpdir(), 'sql-sources-'));
    for (const name of SQL_SOURCES) {
      cpSync(path.join(SQL_SOURCE_ROOT, name), path.join(tempRoot, name));
    }
    for (const [name, sql] of Object.entries(extra)) writeFileSync(path.join(tempRoot, name), sql);
    return tempRoot;
  };
  const recorded = async () =>
    Object.fromEntries(
      (await ds.query(`SELECT name, checksum, defines, applied_at FROM sql_sources`)).map(
        (r: { name: string; checksum: string; defines: string[]; applied_at: Date }) => [r.name, r],
      ),
    );
  /** Each function's oid and row version (xmin), by signature. */
  const functionRows = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      (await ds.query(`SELECT oid::regprocedure::text AS f, oid::text || '/' || xmin::text AS v FROM pg_proc WHERE pronamespace = current_schema()::regnamespace`)).map(
        (r: { f: string; v: string }) => [r.f, r.v],
      ),
    );

  it('lists every .sql file under src, in an order where each file comes once', () => {
    const sqlFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sqlFiles(path.join(dir, e.name)) : e.name.endsWith('.sql') ? [path.relative(SQL_SOURCE_ROOT, path.join(dir, e.name))] : [],
      );
    expect(sqlFiles(SQL_SOURCE_ROOT).sort()).toEqual([...SQL_SOURCES].sort());
    expect(new Set(SQL_SOURCES).size).toBe(SQL_SOURCES.length);
  });

  it('after migrating, the functions and triggers are exactly those the files define, each defined by one file', async () => {
    const migrated = await catalogObjects(ds);
    // Start from nothing and apply the files one by one, each time noting what appeared.
    for (const object of [...migrated.keys()].sort((a, b) => Number(b.startsWith('trigger ')) - Number(a.startsWith('trigger ')))) {
      await ds.query(`DROP ${object}`);
    }
    expect((await catalogObjects(ds)).size).toBe(0);
    const definedByFile: Record<string, string[]> = {};
    for (const source of readSqlSources()) {
      const before = await catalogObjects(ds);
      await ds.query(source.sql);
      definedByFile[source.name] = [...(await catalogObjects(ds)).keys()].filter((o) => !before.has(o)).sort();
      expect(definedByFile[source.name].length).toBeGreaterThan(0);
    }

    expect([...migrated.keys()].sort()).toEqual(Object.values(definedByFile).flat().sort());
    expect(new Set(Object.values(definedByFile).flat()).size).toBe(Object.values(definedByFile).flat().length);
    const records = await recorded();
    const files = readSqlSources();
    expect(Object.keys(records).sort()).toEqual([...SQL_SOURCES].sort());
    for (const f of files) {
      expect(records[f.name].checksum).toBe(f.checksum);
      expect([...records[f.name].defines].sort()).toEqual(definedByFile[f.name]);
    }
    // One signature per function: no older version left behind.
    const names = [...migrated.keys()].filter((o) => o.startsWith('function ')).map((o) => o.replace(/^function (\w+)\(.*$/, '$1'));
    expect(names.sort()).toEqual([
      'booking_event_messages',
      'booking_guard_key',
      'bump_search_input_version',
      'claim_advisors_follow_claim',
      'claim_advisors_from_claim',
      'claim_event_messages',
      'consume_rate_limits',
      'decide_booking',
      'keep_manage_token',
      'place_booking',
      'place_bookings',
    ]);
    // 28 keep the search-input version; 2 keep claim_advisors in step with its claim; 3 write messages
    expect([...migrated.keys()].filter((o) => o.startsWith('trigger '))).toHaveLength(33);
  });

  it('applies nothing again when no file changed, and drops what no file defines (an older signature, a stray trigger)', async () => {
    const functionsBefore = await functionRows();
    const recordsBefore = await recorded();
    await ds.query(`CREATE FUNCTION place_booking(p_now timestamptz) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$`);
    await ds.query(`CREATE FUNCTION stray_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`);
    await ds.query(`CREATE TRIGGER stray_trigger AFTER INSERT ON topics FOR EACH ROW EXECUTE FUNCTION stray_bump()`);

    const result = await applySqlSources(ds, readSqlSources());

    expect(result.applied).toEqual([]);
    expect(result.dropped).toEqual([
      'trigger stray_trigger ON topics',
      'function place_booking(timestamp with time zone)',
      'function stray_bump()',
    ]);
    expect(await functionRows()).toEqual(functionsBefore);
    expect(await recorded()).toEqual(recordsBefore);
  });

  it('re-applies a changed file, leaves the unchanged ones alone, and drops the old signature a changed file no longer defines', async () => {
    const probe = 'modules/probe.sql';
    const root = copyOfSources({ [probe]: `CREATE OR REPLACE FUNCTION sql_sources_probe(p integer) RETURNS integer LANGUAGE sql AS $$ SELECT p $$;` });
    const first = await applySqlSources(ds, readSqlSources(root, [...SQL_SOURCES, probe]));
    expect(first).toEqual({ applied: [probe], dropped: [] });
    expect(await ds.query(`SELECT sql_sources_probe(7) AS v`)).toEqual([{ v: 7 }]);

    const changed = 'modules/bookings/sql/booking_guard_key.sql';
    writeFileSync(path.join(root, changed), `${readFileSync(path.join(root, changed), 'utf8')}\n-- changed\n`);
    writeFileSync(path.join(root, probe), `CREATE OR REPLACE FUNCTION sql_sources_probe(p text) RETURNS text LANGUAGE sql AS $$ SELECT p $$;`);
    const functionsBefore = await functionRows();
    const recordsBefore = await recorded();

    const second = await applySqlSources(ds, readSqlSources(root, [...SQL_SOURCES, probe]));

    expect(second).toEqual({ applied: [changed, probe], dropped: ['function sql_sources_probe(integer)'] });
    const functionsAfter = await functionRows();
    const recordsAfter = await recorded();
    for (const name of SQL_SOURCES.filter((n) => n !== changed)) expect(recordsAfter[name]).toEqual(recordsBefore[name]);
    for (const [f, row] of Object.entries(functionsBefore)) {
      if (f.startsWith('booking_guard_key(') || f.startsWith('sql_sources_probe(')) continue;
      expect([f, functionsAfter[f]]).toEqual([f, row]);
    }
    expect(functionsAfter['booking_guard_key(text,uuid)']).not.toBe(functionsBefore['booking_guard_key(text,uuid)']);
    expect(recordsAfter[changed].checksum).not.toBe(recordsBefore[changed].checksum);
    expect(recordsAfter[probe].defines).toEqual(['function sql_sources_probe(text)']);
    expect(Object.keys(functionsAfter).filter((f) => f.startsWith('sql_sources_probe('))).toEqual(['sql_sources_probe(text)']);

    // A file taken out of the list takes its functions with it.
    const third = await applySqlSources(ds, readSqlSources(root, SQL_SOURCES));
    expect(third).toEqual({ applied: [], dropped: ['function sql_sources_probe(text)'] });
    expect(Object.keys(await recorded()).sort()).toEqual([...SQL_SOURCES].sort());
  });

  it('re-creates what a file defines when it went missing from the database', async () => {
    await ds.query(`DROP TRIGGER tutors_search_input_version ON tutors`);
    const result = await applySqlSources(ds, readSqlSources());
    expect(result).toEqual({ applied: ['modules/slots/sql/search_input_version_triggers.sql'], dropped: [] });
    expect(await ds.query(`SELECT tgname FROM pg_trigger WHERE tgname = 'tutors_search_input_version'`)).toHaveLength(1);
  });

  it('fails on a file with a syntax error and rolls everything back, recording nothing', async () => {
    const root = copyOfSources();
    const valid = 'common/rate-limit/sql/consume_rate_limits.sql';
    const broken = 'modules/bookings/sql/place_bookings.sql';
    writeFileSync(path.join(root, valid), `${readFileSync(path.join(root, valid), 'utf8')}\n-- changed\n`);
    writeFileSync(path.join(root, broken), readFileSync(path.join(root, broken), 'utf8').replace('RETURNS TABLE', 'RETURNS TABEL'));
    await ds.query(`CREATE FUNCTION stray_function() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$`);
    const functionsBefore = await functionRows();
    const recordsBefore = await recorded();

    await expect(applySqlSources(ds, readSqlSources(root))).rejects.toThrow(/SQL source modules\/bookings\/sql\/place_bookings\.sql failed: .*syntax error/);

    expect(await recorded()).toEqual(recordsBefore);
    expect(await functionRows()).toEqual(functionsBefore);
  });
});
