import { Controller, Get, Module } from '@nestjs/common';
import { startTestApp, TestApp } from '../support/test-app';
import { newUser } from '../support/factories';

const PROBLEM = /^application\/problem\+json/;

describe('error contract', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers every response with an X-Request-Id, keeping a sane one the caller sent', async () => {
    const generated = await t.http.get('/health/live').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await t.http.get('/health/live').set('X-Request-Id', 'desk-42.abc').expect(200);
    expect(kept.headers['x-request-id']).toBe('desk-42.abc');
    const insane = await t.http.get('/health/live').set('X-Request-Id', 'a b<script>').expect(200);
    expect(insane.headers['x-request-id']).not.toBe('a b<script>');
    expect(insane.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('400 for malformed JSON', async () => {
    const res = await t.http.post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(res.body).toEqual({ type: '/problems/malformed-request', title: 'Malformed request', status: 400, detail: expect.any(String) });
  });

  it('401 for a protected route without a token', async () => {
    const res = await t.http.get('/api/v1/users');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.type).toBe('/problems/unauthenticated');
  });

  it('403 for a route the role may not use', async () => {
    const tutor = await newUser(t, { role: 'tutor', tutorId: '00000000-0000-4000-8000-000000000001' });
    const res = await t.http.post('/api/v1/users').set(tutor.auth).send({ email: 'x@example.fi', password: 'long-enough-pass', role: 'tutor', tutorId: '00000000-0000-4000-8000-000000000001' });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.type).toBe('/problems/forbidden');
  });

  it('404 for an unknown route, an unknown id and a non-UUID id', async () => {
    const admin = await newUser(t);
    for (const path of ['/api/v1/no-such-thing', '/nothing', '/api/v1/users/7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f', '/api/v1/users/not-a-uuid']) {
      const res = await t.http.get(path).set(admin.auth);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.headers['x-request-id']).toBeTruthy();
      expect(res.body.type).toBe('/problems/not-found');
    }
  });

  it('409 for a duplicate e-mail, 412 for a stale If-Match', async () => {
    const admin = await newUser(t);
    const dup = await t.http.post('/api/v1/users').set(admin.auth).send({ email: admin.email, password: 'long-enough-pass', role: 'admin' });
    expect(dup.status).toBe(409);
    expect(dup.headers['content-type']).toMatch(PROBLEM);
    expect(dup.body.type).toBe('/problems/already-exists');

    const other = await newUser(t);
    const stale = await t.http.patch(`/api/v1/users/${other.id}`).set(admin.auth).set('If-Match', '"0"').send({ active: false });
    expect(stale.status).toBe(412);
    expect(stale.headers['content-type']).toMatch(PROBLEM);
    expect(stale.body.type).toBe('/problems/version-mismatch');
    const still = await t.http.get(`/api/v1/users/${other.id}`).set(admin.auth).expect(200);
    expect(still.body.active).toBe(true);
  });

  it('413 for a body over the limit', async () => {
    const res = await t.http.post('/api/v1/auth/login').set('content-type', 'application/json').send(JSON.stringify({ email: 'x'.repeat(300_000), password: 'y' }));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.type).toBe('/problems/payload-too-large');
  });

  it('422 with errors by field for invalid input, never echoing the submitted values', async () => {
    const admin = await newUser(t);
    const secret = 'hunter2-SECRET-VALUE';
    const res = await t.http.post('/api/v1/users').set(admin.auth).send({ email: secret, password: 'short', role: 'wizard', surprise: secret });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.type).toBe('/problems/validation-failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'role', 'surprise']));
    for (const e of res.body.errors) expect(Object.keys(e).sort()).toEqual(['code', 'field', 'message']);
    expect(JSON.stringify(res.body)).not.toContain('SECRET-VALUE');
    expect(JSON.stringify(res.body)).not.toContain('short');
  });

  it('describes each problem type at /problems/{code}', async () => {
    const res = await t.http.get('/problems/slot-taken').expect(200);
    expect(res.body).toMatchObject({ type: '/problems/slot-taken', status: 409 });
    await t.http.get('/problems/no-such-problem').expect(404);
    const list = await t.http.get('/problems').expect(200);
    expect(list.body.items.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['validation-failed', 'rate-limited', 'version-mismatch']));
  });
});

describe('unexpected errors', () => {
  @Controller('boom')
  class BoomController {
    @Get()
    boom(): never {
      throw new Error('password=swordfish SELECT * FROM users at /src/secret.ts:1');
    }
  }
  @Module({ controllers: [BoomController] })
  class BoomModule {}

  it('500 with the request id and no detail; the route refuses anonymous callers first', async () => {
    const t = await startTestApp({ extraModules: [BoomModule] });
    try {
      const anonymous = await t.http.get('/api/v1/boom');
      expect(anonymous.status).toBe(401);
      const admin = await newUser(t);
      const res = await t.http.get('/api/v1/boom').set(admin.auth).set('X-Request-Id', 'trace-500');
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toEqual({ type: '/problems/internal-error', title: 'Internal error', status: 500, detail: expect.any(String), requestId: 'trace-500' });
      expect(JSON.stringify(res.body)).not.toMatch(/swordfish|SELECT|secret\.ts/);
    } finally {
      await t.close();
    }
  });
});
