import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { newLocation, newUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const PROBLEM = /^application\/problem\+json/;

/** A raw request, for what supertest will not send (broken URL encoding, huge headers). */
function raw(t: TestApp, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  if (!t.app.getHttpServer().listening) throw new Error('server not listening');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('hostile input (issue 18, items 1–5)', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    admin = await newUser(t);
  });
  afterAll(() => t.close());

  it('item 1: deeply nested JSON is refused at parse time with 400 malformed-request', async () => {
    const hostile = '['.repeat(100_000) + ']'.repeat(100_000);
    const res = await t.http.post('/api/v1/auth/login').set('content-type', 'application/json').send(hostile);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.type).toBe('/problems/malformed-request');
    const nestedInField = `{"email":${'['.repeat(65)}${']'.repeat(65)},"password":"x"}`;
    expect((await t.http.post('/api/v1/auth/login').set('content-type', 'application/json').send(nestedInField)).status).toBe(400);
    // a sane depth still reaches validation
    const shallow = await t.http.post('/api/v1/auth/login').send({ email: [[['x']]], password: 'x' });
    expect(shallow.status).toBe(422);
  });

  it('item 2: NUL and unpaired surrogates in any string field answer 422 naming the field', async () => {
    const login = await t.http.post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email":"a\\u0000b","password":"x"}');
    expect(login.status).toBe(422);
    expect(login.body.errors).toEqual([expect.objectContaining({ field: 'email', code: 'invalid-character' })]);
    const surrogate = await t.http.post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email":"\\ud800@x.fi","password":"x"}');
    expect(surrogate.status).toBe(422);
    expect(surrogate.body.errors).toEqual([expect.objectContaining({ field: 'email', code: 'invalid-character' })]);
    const location = await t.http
      .post('/api/v1/locations')
      .set(admin.auth)
      .set('content-type', 'application/json')
      .send('{"name":{"fi":"Kirjasto\\u0000"},"municipality":"286","address":{"street":"Katu 1","postalCode":"45100","city":"Kouvola"}}');
    expect(location.status).toBe(422);
    expect(location.body.errors).toEqual([expect.objectContaining({ field: 'name.fi', code: 'invalid-character' })]);
    const query = await t.http.get('/api/v1/locations').query({ q: 'a\u0000b' });
    expect(query.status).toBe(422);
    expect(query.body.errors[0].field).toBe('q');
  });

  it('item 3: null in a policy field answers 422 on POST and PATCH', async () => {
    const body = { name: { fi: 'Nollakirjasto' }, municipality: '286', address: { street: 'Katu 1', postalCode: '45100', city: 'Kouvola' }, policy: { maxDaysAhead: null } };
    const created = await t.http.post('/api/v1/locations').set(admin.auth).send(body);
    expect(created.status).toBe(422);
    expect(created.body.errors).toEqual([expect.objectContaining({ field: 'policy.maxDaysAhead', code: 'invalid-type' })]);
    const loc = await newLocation(t);
    const patched = await t.http.patch(`/api/v1/locations/${loc.id}`).set(admin.auth).send({ policy: { minNoticeMinutes: null } });
    expect(patched.status).toBe(422);
    expect(patched.body.errors).toEqual([expect.objectContaining({ field: 'policy.minNoticeMinutes', code: 'invalid-type' })]);
  });

  it('item 4: router errors are problem+json malformed-request with their status, echoing nothing', async () => {
    const badUrl = await raw(t, '/api/v1/locations/%ZZsecret');
    expect(badUrl.status).toBe(400);
    expect(badUrl.headers['content-type']).toMatch(PROBLEM);
    expect(JSON.parse(badUrl.body)).toMatchObject({ type: '/problems/malformed-request', status: 400 });
    expect(badUrl.body).not.toContain('secret');

    const longParam = await raw(t, `/api/v1/locations/${'a'.repeat(101)}secret`);
    expect(longParam.status).toBe(414);
    expect(longParam.headers['content-type']).toMatch(PROBLEM);
    expect(JSON.parse(longParam.body)).toMatchObject({ type: '/problems/malformed-request', status: 414 });
    expect(longParam.body).not.toContain('secret');

    const bigHeader = await raw(t, '/api/v1/locations', { 'x-filler': 'secret'.repeat(3500) });
    expect(bigHeader.status).toBe(431);
    expect(bigHeader.headers['content-type']).toMatch(PROBLEM);
    expect(JSON.parse(bigHeader.body)).toMatchObject({ type: '/problems/malformed-request', status: 431 });
    expect(bigHeader.body).not.toContain('secret');
  });

  it('item 4: a body that is not JSON answers 415 unsupported-media-type, described at /problems', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await t.http.post('/api/v1/auth/login').set('content-type', type).send('email=a@b.fi&password=x');
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.type).toBe('/problems/unsupported-media-type');
    }
    const described = await t.http.get('/problems/unsupported-media-type').expect(200);
    expect(described.body).toMatchObject({ status: 415, title: 'Unsupported media type' });
  });

  it('item 5: one error per field, the first kind of mistake: required before type before length', async () => {
    const id = '7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f';
    const missing = await t.http.post(`/api/v1/bookings/${id}/cancel`).set(admin.auth).send({});
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'reason', code: 'required' })]);
    const wrongType = await t.http.post(`/api/v1/bookings/${id}/cancel`).set(admin.auth).send({ reason: 42 });
    expect(wrongType.body.errors).toEqual([expect.objectContaining({ field: 'reason', code: 'invalid-type' })]);
    const tooLong = await t.http.post(`/api/v1/bookings/${id}/cancel`).set(admin.auth).send({ reason: 'x'.repeat(1001) });
    expect(tooLong.body.errors).toEqual([expect.objectContaining({ field: 'reason', code: 'max-length' })]);
  });

  it('item 5: the same mistake has the same code everywhere (end before start, an instant where a date belongs)', async () => {
    const loc = await newLocation(t);
    const slots = await t.http.get('/api/v1/slots').query({ locationId: loc.id, from: '2026-12-10', to: '2026-12-01' });
    expect(slots.status).toBe(422);
    expect(slots.body.errors).toEqual([expect.objectContaining({ field: 'to', code: 'end-before-start' })]);
    const hours = await t.http.get(`/api/v1/locations/${loc.id}/opening-hours`).query({ from: '2026-12-10', to: '2026-12-01' });
    expect(hours.body.errors).toEqual([expect.objectContaining({ field: 'to', code: 'end-before-start' })]);
    const agenda = await t.http.get('/api/v1/bookings').set(admin.auth).query({ from: '2027-01-20', to: '2027-01-19' });
    expect(agenda.body.errors).toEqual([expect.objectContaining({ field: 'to', code: 'end-before-start' })]);
    for (const path of [`/api/v1/locations/${loc.id}/opening-hours`, `/api/v1/locations/${loc.id}/exceptions`]) {
      const instant = await t.http.get(path).set(admin.auth).query({ from: '2026-12-01T00:00:00+02:00' });
      expect(instant.status).toBe(422);
      expect(instant.body.errors).toEqual([expect.objectContaining({ field: 'from', code: 'invalid-date' })]);
    }
  });

  it('item 5: closure lists take dates where ranges allow them (from a day\'s start, to through its end)', async () => {
    const loc = await newLocation(t);
    const staff = await newUser(t, { role: 'staff', locationIds: [loc.id] });
    const closure = await t.http.post(`/api/v1/locations/${loc.id}/closures`).set(staff.auth).send({ start: '2026-12-10T22:30:00+02:00', end: '2026-12-11T02:00:00+02:00' }).expect(201);
    const ids = async (query: Record<string, string>) => {
      const res = await t.http.get(`/api/v1/locations/${loc.id}/closures`).query(query).expect(200);
      return res.body.items.map((c: { id: string }) => c.id);
    };
    expect(await ids({ from: '2026-12-11' })).toEqual([closure.body.id]);
    expect(await ids({ from: '2026-12-12' })).toEqual([]);
    expect(await ids({ to: '2026-12-10' })).toEqual([closure.body.id]);
    expect(await ids({ to: '2026-12-09' })).toEqual([]);
    expect(await ids({ from: '2026-12-10', to: '2026-12-10' })).toEqual([closure.body.id]);
  });
});
