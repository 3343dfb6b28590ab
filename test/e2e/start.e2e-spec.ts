import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { alive, children, exited, MAIN, postmasterPid, start } from '../support/app-process';

async function waitUntil(check: () => boolean, ms = 15_000): Promise<void> {
  for (const started = Date.now(); !check(); ) {
    if (Date.now() - started > ms) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm start (built program)', () => {
  let dataDir: string;
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error('dist/src/main.js is missing: npm test builds it first (npm run build)');
    dataDir = mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'start-'));
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.all(children.map(exited));
    const leftover = postmasterPid(dataDir);
    if (leftover && alive(leftover)) process.kill(leftover, 'SIGQUIT');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on an embedded PostgreSQL, keeps data across restarts, stops cleanly and recovers after a kill', async () => {
    const admin = { TUKIAIKA_ADMIN_EMAIL: 'root@example.fi', TUKIAIKA_ADMIN_PASSWORD: 'a-long-admin-password' };
    const first = await start(dataDir, admin);
    expect(first.output()).toContain('admin root@example.fi: created');
    expect((await fetch(`${first.url}/health/ready`)).status).toBe(200);
    const pg1 = postmasterPid(dataDir)!;
    expect(alive(pg1)).toBe(true);

    // Ctrl-C: the service and its PostgreSQL stop, nothing is left behind.
    first.child.kill('SIGINT');
    expect(await exited(first.child)).toBe(0);
    await waitUntil(() => !alive(pg1));
    expect(postmasterPid(dataDir)).toBeUndefined();

    // A restart keeps the data: the admin exists and can log in.
    const second = await start(dataDir, admin);
    expect(second.output()).toContain('admin root@example.fi: exists already');
    const login = await fetch(`${second.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'root@example.fi', password: 'a-long-admin-password' }),
    });
    expect(login.status).toBe(200);
    const pg2 = postmasterPid(dataDir)!;

    // A killed run leaves PostgreSQL orphaned; the next start stops it and carries on.
    second.child.kill('SIGKILL');
    await exited(second.child);
    expect(alive(pg2)).toBe(true);
    const third = await start(dataDir);
    expect((await fetch(`${third.url}/health/ready`)).status).toBe(200);
    expect(alive(pg2)).toBe(false);
    third.child.kill('SIGTERM');
    expect(await exited(third.child)).toBe(0);
  }, 90_000);

  it('admin:create adds an admin once, and the migration CLI runs and reverts', async () => {
    const script = (name: string, args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'scripts', name), ...args], {
          env: { PATH: process.env.PATH, TMPDIR: process.env.TMPDIR, TUKIAIKA_DATA_DIR: dataDir },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout!.on('data', (c) => (out += c));
        child.stderr!.on('data', (c) => (out += c));
        child.on('exit', (code) => resolve({ code, out }));
      });
    const created = await script('admin-create.js', ['--email', 'Second@Example.fi', '--password', 'another-long-password']);
    expect(created).toEqual({ code: 0, out: expect.stringContaining('admin second@example.fi created') });
    const again = await script('admin-create.js', ['--email', 'second@example.fi', '--password', 'another-long-password']);
    expect(again.out).toContain('exists already');
    const bad = await script('admin-create.js', ['--email', 'second@example.fi', '--password', 'short']);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('--password');

    const reverted = await script('migration.js', ['revert']);
    expect(reverted).toEqual({ code: 0, out: expect.stringContaining('reverted') });
    const rerun = await script('migration.js', ['run']);
    expect(rerun.code).toBe(0);
    expect(rerun.out).toMatch(/migrated: \w+/);

    const running = await start(dataDir);
    const login = await fetch(`${running.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'second@example.fi', password: 'another-long-password' }),
    });
    expect(login.status).toBe(200);
    running.child.kill('SIGINT');
    expect(await exited(running.child)).toBe(0);
  }, 60_000);

  it('says plainly what is wrong with a bad variable, naming it', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, PORT: 'eighty', TUKIAIKA_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr!.on('data', (c) => (out += c));
    expect(await exited(child)).toBe(1);
    expect(out).toContain('PORT');
    expect(out).not.toMatch(/at .*\.js:\d+/);
  });

  it('refuses an unusable data folder with a plain message', async () => {
    const file = path.join(dataDir, 'not-a-folder');
    require('node:fs').writeFileSync(file, 'x');
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, PORT: '0', TUKIAIKA_DATA_DIR: path.join(file, 'sub') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr!.on('data', (c) => (out += c));
    expect(await exited(child)).toBe(1);
    expect(out).toContain('TUKIAIKA_DATA_DIR');
  });
});
