import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { bookingBody, BOOKING_NOW, bookingWorld } from '../support/booking-fixtures';
import { ensurePartner, newTutor, newUser, TestUser } from '../support/factories';
import { FuzzRequest, fuzzTargets, OpenApiDocument, requestArbitrary } from '../support/fuzz';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 18: hostile requests for every documented operation with a body or a query (a route
 * added later joins by being in the OpenAPI document). Outcome: no answer ≥ 500, every error
 * application/problem+json, and no row changed by a batch in which every write was refused
 * (rate-limit counters aside). CI runs the sample below; `npm run fuzz` runs 20,000 and prints
 * the counts by status. TUKIAIKA_FUZZ_SEED reproduces a run.
 */
const REQUESTS = Number(process.env.TUKIAIKA_FUZZ_REQUESTS ?? 2000);
const SEED = Number(process.env.TUKIAIKA_FUZZ_SEED ?? 18);
const BATCH = 25;
/** Tables a refused request may still write to: the counters of refusals themselves. */
const COUNTERS = new Set(['rate_limit_counters', 'migrations']);

describe(`fuzz from the OpenAPI document (${REQUESTS} requests, seed ${SEED})`, () => {
  let t: TestApp;
  let admin: TestUser;
  let ids: Record<string, string>;
  let tables: string[];

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    const w = await bookingWorld(t);
    admin = await newUser(t);
    const staff = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
    const booking = await t.http.post('/api/v1/bookings').send(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00')).expect(201);
    const closure = await t.http
      .post(`/api/v1/locations/${w.location.id}/closures`)
      .set(admin.auth)
      .send({ start: '2027-02-01T10:00:00+02:00', end: '2027-02-01T12:00:00+02:00' })
      .expect(201);
    const topic = (await t.db.query(`SELECT id FROM topics ORDER BY sort_order LIMIT 1`))[0].id as string;
    const partner = await ensurePartner(t, randomUUID());
    const advisor = await newTutor(t, { kind: 'advisor', partnerId: partner });
    ids = {
      users: staff.id,
      locations: w.location.id,
      closures: closure.body.id,
      tutors: w.matti.id,
      topics: topic,
      bookings: booking.body.id,
      manage: booking.body.manageToken,
      exceptions: '2027-01-15',
      problems: 'slot-taken',
      partners: partner,
      advisors: advisor.id,
    };
    tables = (await t.db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map((r: { tablename: string }) => r.tablename).filter((n: string) => !COUNTERS.has(n));
  });
  afterAll(() => t.close());

  /** `/api/v1/locations/{id}/closures/{cid}` with the ids of real resources (each param named by the segment before it). */
  function concretePath(path: string): string {
    const parts = path.split('/');
    return parts.map((part, i) => (part.startsWith('{') ? (ids[parts[i - 1]] ?? ids[parts[i - 2]] ?? randomUUID()) : part)).join('/');
  }

  async function checksum(): Promise<string> {
    const parts = tables.map((n) => `SELECT '${n}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${n}" x`);
    const rows: { t: string; h: string }[] = await t.db.query(parts.join(' UNION ALL '));
    return rows.map((r) => `${r.t}:${r.h}`).join(',');
  }

  async function send(r: FuzzRequest) {
    const url = concretePath(r.path) + (r.query ? `?${r.query}` : '');
    const res = await t.app.getHttpAdapter().getInstance().inject({
      method: r.method as 'GET',
      url,
      headers: { authorization: admin.auth.Authorization, ...(r.contentType ? { 'content-type': r.contentType } : {}) },
      ...(r.body === undefined ? {} : { payload: r.body }),
    });
    return { request: r, status: res.statusCode, contentType: String(res.headers['content-type'] ?? '') };
  }

  it('never answers ≥ 500, answers every error as problem+json, and changes no row on a refusal', async () => {
    const doc = (await t.http.get('/api/docs.json').expect(200)).body as OpenApiDocument;
    const targets = fuzzTargets(doc);
    expect(targets.length).toBeGreaterThan(20);
    const anyRequest = fc.constantFrom(...targets).chain((target) => requestArbitrary(doc, target));
    const byStatus = new Map<number, number>();
    const failures: string[] = [];
    let before = await checksum();
    for (let done = 0, batch = 0; done < REQUESTS; batch++) {
      const requests = fc.sample(anyRequest, { numRuns: Math.min(BATCH, REQUESTS - done), seed: SEED + batch });
      done += requests.length;
      const answers = await Promise.all(requests.map(send));
      for (const a of answers) {
        byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
        const what = `${a.request.method} ${a.request.path} [${a.request.mutation}] → ${a.status} (seed ${SEED}, batch ${batch})`;
        if (a.status >= 500) failures.push(what);
        else if (a.status >= 400 && !/^application\/problem\+json/.test(a.contentType)) failures.push(`${what} as ${a.contentType}`);
      }
      const accepted = answers.some((a) => a.request.method !== 'GET' && a.status < 400);
      const after = await checksum();
      if (!accepted && after !== before) failures.push(`batch ${batch} (seed ${SEED}): rows changed although every write was refused: ${answers.map((a) => `${a.request.method} ${a.request.path} ${a.status}`).join('; ')}`);
      before = after;
      if (failures.length > 20) break;
    }
    const counts = [...byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
    if (process.env.TUKIAIKA_FUZZ_REQUESTS) console.log(`fuzz: ${REQUESTS} requests over ${targets.length} operations, seed ${SEED}\n  ${counts.join('\n  ')}`);
    expect(failures).toEqual([]);
  }, 120_000);
});
