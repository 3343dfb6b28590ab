#!/usr/bin/env node
// tsc copies no .sql files: the SQL sources (src/**/sql/*.sql) are copied to dist/src, where the
// built app reads them (src/database/sql-sources.ts). Stale copies are removed first.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

function sqlFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sqlFiles(file);
    return entry.name.endsWith('.sql') ? [file] : [];
  });
}

function copySqlSources() {
  const from = path.join(root, 'src');
  const to = path.join(root, 'dist', 'src');
  for (const stale of sqlFiles(to)) fs.rmSync(stale);
  for (const file of sqlFiles(from)) {
    const target = path.join(to, path.relative(from, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
}

module.exports = { copySqlSources };
if (require.main === module) copySqlSources();
