import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.setup';
import { AppConfig, loadConfig } from '../../src/config/app-config';

/**
 * The app's configuration in a benchmark: production mode, rate limits out of the way, no demo
 * data, X-Forwarded-For from 127.0.0.1 believed (each simulated resident has an address).
 * TUKIAIKA_BOOKING_WRITERS and _BATCH may be given in the environment to try other values;
 * `extra` sets more variables (e.g. an SMTP server).
 */
export function benchAppConfig(url: string, poolSize: number, extra: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    TUKIAIKA_AUTH_SECRET: randomBytes(32).toString('base64url'),
    TUKIAIKA_DB_POOL_SIZE: String(poolSize),
    ...(process.env.TUKIAIKA_BOOKING_WRITERS ? { TUKIAIKA_BOOKING_WRITERS: process.env.TUKIAIKA_BOOKING_WRITERS } : {}),
    ...(process.env.TUKIAIKA_BOOKING_BATCH ? { TUKIAIKA_BOOKING_BATCH: process.env.TUKIAIKA_BOOKING_BATCH } : {}),
    TUKIAIKA_RATE_LOGIN_PER_ACCOUNT: '1000000',
    TUKIAIKA_RATE_LOGIN_PER_IP: '1000000',
    TUKIAIKA_RATE_BOOKING_PER_IP: '1000000',
    TUKIAIKA_RATE_BOOKING_PER_CONTACT: '1000000',
    TUKIAIKA_TRUSTED_PROXIES: '127.0.0.1',
    TUKIAIKA_DEMO_DATA: 'false',
    ...extra,
  });
}

export interface RunningApp {
  app: NestFastifyApplication;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
}

/** The real application on `url`, in this process, listening on a free port of 127.0.0.1. */
export async function startBenchApp(url: string, poolSize: number, extra: Record<string, string> = {}): Promise<RunningApp> {
  const app = await createApp({ config: benchAppConfig(url, poolSize, extra), databaseUrl: url, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}
