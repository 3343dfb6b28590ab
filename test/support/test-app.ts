import { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup';
import { FixedClock } from '../../src/common/time/clock';
import { loadConfig } from '../../src/config/app-config';
import { createTestDatabase, TestDatabase } from './test-database';

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  http: TestAgent;
  db: DataSource;
  clock: FixedClock;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real application (same configureApp as main) on a fresh database, with a settable clock. */
export async function startTestApp(
  opts: { now?: string; env?: Record<string, string>; extraModules?: Type[] } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    TUKIAIKA_AUTH_SECRET: TEST_SECRET,
    TUKIAIKA_DB_POOL_SIZE: '5',
    TUKIAIKA_RATE_LOGIN_FAILURES_PER_ACCOUNT_IP: '1000',
    TUKIAIKA_RATE_LOGIN_FAILURES_PER_ACCOUNT: '100000',
    TUKIAIKA_RATE_LOGIN_PER_IP: '100000',
    TUKIAIKA_RATE_BOOKING_PER_IP: '1000000',
    TUKIAIKA_RATE_BOOKING_PER_CONTACT: '1000000',
    ...opts.env,
  });
  const clock = new FixedClock(new Date(opts.now ?? '2026-12-01T08:00:00Z'));
  const app = await createApp({ config, databaseUrl: database.url, clock, logger: false, extraModules: opts.extraModules });
  return {
    app,
    http: request(app.getHttpServer()),
    db: app.get(DataSource),
    clock,
    database,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
