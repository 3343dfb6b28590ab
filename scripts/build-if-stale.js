#!/usr/bin/env node
// `npm start` builds only when a source is newer than the last build, so a warm start skips tsc.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { copySqlSources } = require('./copy-sql-sources');

const root = path.join(__dirname, '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;

function newerThanBuild(dir) {
  if (!fs.existsSync(dir)) return false;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory() ? newerThanBuild(file) : fs.statSync(file).mtimeMs > built) return true;
  }
  return false;
}

const inputs = ['src', 'scripts', 'migrations', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
if (!built || inputs.some((p) => { const f = path.join(root, p); return fs.existsSync(f) && (fs.statSync(f).isDirectory() ? newerThanBuild(f) : fs.statSync(f).mtimeMs > built); })) {
  const started = Date.now();
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  copySqlSources();
  fs.writeFileSync(stamp, '');
  // sources edited during the build count as newer than it
  fs.utimesSync(stamp, new Date(started), new Date(started));
}
