import { JwtService } from '@nestjs/jwt';
import { deriveKey } from '../../src/common/crypto/keys';
import { Pause } from '../../src/common/time/pause';
import { PasswordHasher } from '../../src/modules/users/password-hasher';
import { newUser } from '../support/factories';
import { startTestApp, TEST_SECRET, TestApp } from '../support/test-app';

const PROBLEM = /^application\/problem\+json/;
const sign = (claims: object, secret = TEST_SECRET) =>
  new JwtService().sign(claims as Record<string, unknown>, { secret: deriveKey(secret, 'access-token'), algorithm: 'HS256' });

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-12-01T08:00:00Z' });
  });
  afterAll(() => t.close());

  it('logs in with the right password and answers /auth/me', async () => {
    const staff = await newUser(t, { role: 'staff', locationIds: ['6f1e3c1a-1111-4aaa-8bbb-000000000001'] });
    const login = await t.http.post('/api/v1/auth/login').send({ email: staff.email.toUpperCase(), password: staff.password }).expect(200);
    expect(login.body.accessToken).toEqual(expect.any(String));
    expect(login.body.expiresAt).toBe('2026-12-01T09:00:00Z');
    const me = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ id: staff.id, email: staff.email, role: 'staff', locationIds: ['6f1e3c1a-1111-4aaa-8bbb-000000000001'], active: true });
    expect(me.body).not.toHaveProperty('passwordHash');
  });

  it('gives the same 401 for a wrong password, an unknown user and a disabled user, comparing a hash each time', async () => {
    const user = await newUser(t);
    const disabled = await newUser(t, { active: false });
    const hasher = t.app.get(PasswordHasher);
    const verify = jest.spyOn(hasher, 'verify');
    try {
      const attempts = [
        { email: user.email, password: 'wrong-password-123' },
        { email: 'nobody-here@example.fi', password: 'whatever-password' },
        { email: disabled.email, password: disabled.password },
      ];
      const bodies = [];
      for (const attempt of attempts) {
        const res = await t.http.post('/api/v1/auth/login').send(attempt);
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        bodies.push(res.body);
      }
      expect(bodies[1]).toEqual(bodies[0]);
      expect(bodies[2]).toEqual(bodies[0]);
      expect(verify).toHaveBeenCalledTimes(3);
      // the unknown user was compared against a real (dummy) hash, not skipped
      expect(verify.mock.calls[1][0]).toBeUndefined();
      await expect(verify.mock.results[1].value).resolves.toBe(false);
    } finally {
      verify.mockRestore();
    }
  });

  it('ends a disabled account\'s tokens for good: enabling it again does not revive them (issue 18 item 8)', async () => {
    const admin = await newUser(t);
    const victim = await newUser(t);
    await t.http.patch(`/api/v1/users/${victim.id}`).set(admin.auth).send({ active: false }).expect(200);
    await t.http.patch(`/api/v1/users/${victim.id}`).set(admin.auth).send({ active: true }).expect(200);
    const old = await t.http.get('/api/v1/auth/me').set(victim.auth);
    expect(old.status).toBe(401);
    const again = await t.http.post('/api/v1/auth/login').send({ email: victim.email, password: victim.password }).expect(200);
    await t.http.get('/api/v1/auth/me').set({ Authorization: `Bearer ${again.body.accessToken}` }).expect(200);
  });

  it('stops a token at once when its account is disabled', async () => {
    const admin = await newUser(t);
    const victim = await newUser(t);
    await t.http.get('/api/v1/auth/me').set(victim.auth).expect(200);
    await t.http.patch(`/api/v1/users/${victim.id}`).set(admin.auth).send({ active: false }).expect(200);
    const res = await t.http.get('/api/v1/auth/me').set(victim.auth);
    expect(res.status).toBe(401);
    expect(res.body.type).toBe('/problems/unauthenticated');
  });

  it('refuses expired, tampered, foreign-key and malformed tokens', async () => {
    const user = await newUser(t);
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const expired = sign({ sub: user.id, gen: 0, iat: now - 7200, exp: now - 1 });
    const otherSecret = sign({ sub: user.id, gen: 0, iat: now, exp: now + 600 }, 'another-secret-that-is-long-enough-xyz');
    const [head, body, signature] = user.token.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const tampered = [head, Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 99999 })).toString('base64url'), signature].join('.');
    const unsigned = [Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'), body, ''].join('.');
    for (const token of [expired, otherSecret, tampered, unsigned, 'not-a-token', '']) {
      const res = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body.type).toBe('/problems/unauthenticated');
    }
    // the same account's genuine token still works, so the refusals above are about the tokens
    await t.http.get('/api/v1/auth/me').set(user.auth).expect(200);
  });

  it('expires tokens by the injected clock', async () => {
    const user = await newUser(t);
    t.clock.advance(3600 * 1000 + 1000);
    try {
      await t.http.get('/api/v1/auth/me').set(user.auth).expect(401);
    } finally {
      t.clock.advance(-(3600 * 1000 + 1000));
    }
    await t.http.get('/api/v1/auth/me').set(user.auth).expect(200);
  });

  it('changes the password: old password and older tokens stop working, the new pair works', async () => {
    const user = await newUser(t);
    const wrong = await t.http.put('/api/v1/auth/password').set(user.auth).send({ current: 'not-my-password', new: 'a-brand-new-password' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].field).toBe('current');
    const short = await t.http.put('/api/v1/auth/password').set(user.auth).send({ current: user.password, new: 'short' });
    expect(short.status).toBe(422);
    const changed = await t.http.put('/api/v1/auth/password').set(user.auth).send({ current: user.password, new: 'a-brand-new-password' }).expect(200);
    await t.http.get('/api/v1/auth/me').set(user.auth).expect(401);
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${changed.body.accessToken}`).expect(200);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: 'a-brand-new-password' }).expect(200);
  });

  it('rejects bad login input with 422 by field', async () => {
    const res = await t.http.post('/api/v1/auth/login').send({ email: 42 });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['email', 'password']));
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      now: '2026-12-01T08:00:00Z',
      env: {
        TUKIAIKA_RATE_LOGIN_FAILURES_PER_ACCOUNT_IP: '3',
        TUKIAIKA_RATE_LOGIN_FAILURES_PER_ACCOUNT: '5',
        TUKIAIKA_RATE_LOGIN_PER_IP: '6',
        TUKIAIKA_RATE_WINDOW_SECONDS: '600',
        TUKIAIKA_TRUSTED_PROXIES: '127.0.0.1',
      },
    });
  });
  afterAll(() => t.close());

  const login = (email: string, password: string, ip: string) =>
    t.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('limits failures per account and address with 429 and Retry-After, even with the right password, from that address only', async () => {
    const user = await newUser(t); // a success: not counted
    for (let i = 0; i < 3; i++) expect((await login(user.email, 'wrong-password-x', '203.0.113.1')).status).toBe(401);
    const limited = await login(user.email, user.password, '203.0.113.1');
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(PROBLEM);
    expect(limited.body.type).toBe('/problems/rate-limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(600);
    // issue 18 item 7: the owner, elsewhere, is not locked out by that address's failures
    await login(user.email, user.password, '198.51.100.7').expect(200);
    // the window slides past (injected clock): the address may log in again
    t.clock.advance(2 * 600 * 1000);
    await login(user.email, user.password, '203.0.113.1').expect(200);
  });

  it('counts failures, not attempts: successes never add up to a refusal', async () => {
    t.clock.advance(2 * 600 * 1000);
    const user = await newUser(t);
    for (let i = 0; i < 10; i++) await login(user.email, user.password, '203.0.113.2').expect(200);
  });

  it('slides the window: failures just before a boundary still count just after it', async () => {
    t.clock.set('2026-12-02T07:59:00Z'); // 600 s windows: one ends at 08:00
    const user = await newUser(t);
    for (let i = 0; i < 3; i++) expect((await login(user.email, 'wrong-password-x', '203.0.113.3')).status).toBe(401);
    t.clock.set('2026-12-02T08:00:30Z'); // a fixed window would have forgotten them
    expect((await login(user.email, user.password, '203.0.113.3')).status).toBe(429);
  });

  it('past the account-wide ceiling each attempt waits longer, and the right password still gets in', async () => {
    t.clock.advance(2 * 600 * 1000);
    const pause = t.app.get(Pause);
    const waited: number[] = [];
    const wait = jest.spyOn(pause, 'wait').mockImplementation(async (ms) => void waited.push(ms));
    try {
      const user = await newUser(t);
      // five addresses, one failure each short of their own limit: 10 failures on the account
      for (let a = 0; a < 5; a++) for (let i = 0; i < 2; i++) await login(user.email, 'wrong-password-x', `192.0.2.${a}`).expect(401);
      const delays = waited.slice(-5);
      expect(waited.slice(0, 5).every((ms) => ms === 0)).toBe(true);
      for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]);
      waited.length = 0;
      await login(user.email, user.password, '192.0.2.200').expect(200);
      expect(waited[0]).toBeGreaterThan(delays[delays.length - 1]);
    } finally {
      wait.mockRestore();
    }
  });

  it('limits failures per IP across accounts', async () => {
    t.clock.advance(2 * 600 * 1000);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await login(`someone-${i}@example.fi`, 'wrong-password-x', '203.0.113.9');
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses[6]).toBe(429);
  });
});
