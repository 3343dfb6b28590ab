import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemFilter } from './common/problem/problem.filter';
import { createValidationPipe } from './common/http/validation';
import { requestIdFrom } from './common/http/request-id';
import { setupOpenApi } from './common/http/openapi';
import { involvesManageToken } from './common/http/referrer-policy';
import { ALWAYS_HEADERS, onClientError, onFrameworkError, registerJsonOnlyBodyParser } from './common/http/hostile-requests';
import { AppModule, AppModuleOptions } from './app.module';
import { renderHtmlError } from './modules/web/html-errors';
import { WEB_PATHS } from './modules/web/web.controller';

const BODY_LIMIT_BYTES = 256 * 1024;

/** Creates the Nest application on Fastify, configured exactly as in production. */
export async function createApp(options: AppModuleOptions & { logger?: false | undefined }): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: options.config.server.trustedProxies.length ? options.config.server.trustedProxies : false,
    genReqId: requestIdFrom,
    requestIdHeader: false,
    logger: false,
    frameworkErrors: onFrameworkError,
    clientErrorHandler: onClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    logger: options.logger === false ? false : ['error', 'warn'],
    abortOnError: false,
    // configureApp registers the one body parser the API has (JSON, depth-limited)
    bodyParser: false,
  });
  configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** Pipes, filters, hooks, prefix and docs: shared by main.ts and the e2e tests. */
export function configureApp(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  registerJsonOnlyBodyParser(fastify, BODY_LIMIT_BYTES);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id).headers(ALWAYS_HEADERS);
    if (involvesManageToken(request.method, request.url)) void reply.header('referrer-policy', 'no-referrer');
    done();
  });

  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'problems', method: RequestMethod.GET },
      { path: 'problems/:code', method: RequestMethod.GET },
      ...WEB_PATHS.map((path) => ({ path, method: RequestMethod.ALL })),
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter(renderHtmlError));
  setupOpenApi(app);
}
