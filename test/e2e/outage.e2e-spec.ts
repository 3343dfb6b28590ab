import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { alive, children, exited, MAIN, postmasterPid, Running, start } from '../support/app-process';

/**
 * Issue 18, item 6: PostgreSQL goes away under the running program (a real process, on clusters
 * of its own). While it is away every answer is 503 problem+json with Retry-After (an
 * authenticated request too, never 401), liveness stays 200 and readiness is 503; then the
 * service resumes without the program being restarted.
 */

const ADMIN = { TUKIAIKA_ADMIN_EMAIL: 'outage@example.fi', TUKIAIKA_ADMIN_PASSWORD: 'an-outage-admin-password' };
const DEADLINE_MS = 60_000;

interface Answer {
  path: string;
  status: number;
  contentType: string;
  retryAfter: string | null;
}

async function ask(base: string, route: string, token: string): Promise<Answer> {
  const res = await fetch(`${base}${route}`, { headers: route.includes('/auth/') ? { authorization: `Bearer ${token}` } : {} });
  await res.arrayBuffer();
  return { path: route, status: res.status, contentType: res.headers.get('content-type') ?? '', retryAfter: res.headers.get('retry-after') };
}

const ROUTES = ['/api/v1/locations', '/api/v1/auth/me', '/api/v1/topics', '/health/ready', '/health/live'];

/** Asks every route until `check` holds for a whole round, or fails after the deadline. */
async function pollUntil(base: string, token: string, check: (round: Answer[]) => boolean, seen: Answer[]): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const round = await Promise.all(ROUTES.map((r) => ask(base, r, token)));
    seen.push(...round);
    if (check(round)) return;
    if (Date.now() > deadline) throw new Error(`not reached within ${DEADLINE_MS} ms; last round ${JSON.stringify(round)}`);
  }
}

const allUp = (round: Answer[]) => round.every((a) => a.status === 200);
const allDown = (round: Answer[]) => round.every((a) => (a.path === '/health/live' ? a.status === 200 : a.status === 503));

/** What may be answered at any moment of an outage: the answer itself, or 503 problem+json with Retry-After. */
function expectOnlyOkOr503(answers: Answer[]): void {
  const wrong = answers.filter((a) => {
    if (a.path === '/health/live') return a.status !== 200;
    if (a.status === 200) return false;
    return !(a.status === 503 && /^application\/problem\+json/.test(a.contentType) && Number(a.retryAfter) > 0);
  });
  expect(wrong).toEqual([]);
}

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.TUKIAIKA_ADMIN_EMAIL, password: ADMIN.TUKIAIKA_ADMIN_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Requests from several clients at once until stopped, every answer kept. */
function load(base: string, token: string, clients = 4): { stop(): Promise<Answer[]> } {
  const answers: Answer[] = [];
  let running = true;
  const loops = Array.from({ length: clients }, async (_, i) => {
    for (let n = i; running; n++) answers.push(await ask(base, ROUTES[n % ROUTES.length], token));
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return answers;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A cluster run by test/support/pg-cluster.js, standing in for an external PostgreSQL. */
function startCluster(clusterDir: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'support', 'pg-cluster.js'), clusterDir, String(port)], {
    env: { PATH: process.env.PATH, TMPDIR: process.env.TMPDIR },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stderr!.on('data', (c) => (out += c));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.on('exit', (code) => reject(new Error(`cluster exited with ${code}:\n${out}`)));
  });
}

describe('database outage (real process, clusters of its own)', () => {
  let dataDir: string;
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error('dist/src/main.js is missing: npm test builds it first (npm run build)');
    dataDir = mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'outage-'));
    chmodSync(dataDir, 0o711); // PostgreSQL runs as its own user when the tests run as root
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.all(children.map(exited));
    const leftover = postmasterPid(path.join(dataDir, 'embedded'));
    if (leftover && alive(leftover)) process.kill(leftover, 'SIGQUIT');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('embedded: a killed PostgreSQL is started again by the program; meanwhile 503 with Retry-After, liveness 200', async () => {
    const appDir = path.join(dataDir, 'embedded');
    const app: Running = await start(appDir, ADMIN);
    const token = await login(app.url);
    const before = postmasterPid(appDir)!;

    const traffic = load(app.url, token);
    process.kill(before, 'SIGKILL');
    const seen: Answer[] = [];
    // The program notices, starts a new postmaster, and every route answers again.
    await pollUntil(app.url, token, (round) => allUp(round) && postmasterPid(appDir) !== before, seen);
    const answers = [...(await traffic.stop()), ...seen];

    expect(alive(before)).toBe(false);
    expect(alive(postmasterPid(appDir)!)).toBe(true);
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    expectOnlyOkOr503(answers);
    expect(app.child.exitCode).toBeNull();
    expect(app.output()).toContain('running again');
  }, 120_000);

  it('external: stopped and started again, the pool reconnects; meanwhile 503 with Retry-After, readiness 503, liveness 200', async () => {
    const clusterDir = path.join(dataDir, 'external', 'postgres');
    const port = await freePort();
    const first = await startCluster(clusterDir, port);
    const app = await start(path.join(dataDir, 'external-app'), {
      ...ADMIN,
      DATABASE_URL: first.url,
      TUKIAIKA_AUTH_SECRET: 'an-outage-test-secret-long-enough-0123456789',
    });
    const token = await login(app.url);
    const seen: Answer[] = [];
    await pollUntil(app.url, token, allUp, seen);

    const traffic = load(app.url, token);
    first.child.kill('SIGTERM');
    await exited(first.child);
    await pollUntil(app.url, token, allDown, seen);
    // While it is away, answers stay 503 (not a single one that happened to slip through).
    for (let i = 0; i < 3; i++) {
      const round = await Promise.all(ROUTES.map((r) => ask(app.url, r, token)));
      seen.push(...round);
      expect(allDown(round)).toBe(true);
    }

    await startCluster(clusterDir, port);
    await pollUntil(app.url, token, allUp, seen);
    const answers = [...(await traffic.stop()), ...seen];
    expectOnlyOkOr503(answers);
    expect(answers.some((a) => a.path === '/health/ready' && a.status === 503)).toBe(true);
    expect(app.child.exitCode).toBeNull();
  }, 120_000);
});
