import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', example: '/problems/validation-failed' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const COMMON_ERRORS: Record<string, string> = {
  '400': 'malformed-request',
  '404': 'not-found',
  '413': 'payload-too-large',
  '422': 'validation-failed and rule problems (see /problems)',
  '429': 'rate-limited',
  '500': 'internal-error (with requestId, no detail)',
};
const AUTH_ERRORS: Record<string, string> = { '401': 'unauthenticated', '403': 'forbidden' };
const WRITE_ERRORS: Record<string, string> = { '409': 'already-exists, slot-taken, invalid-transition…', '412': 'version-mismatch (If-Match)' };

/** OpenAPI at /api/docs (UI) and /api/docs.json, every operation listing its problem responses. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tukiaika API')
    .setDescription('Booking digital support in Finnish public libraries. Errors are application/problem+json (RFC 9457).')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const secured = !(operation as Record<string, unknown>)['x-public'];
      operation.security = secured ? [{ bearer: [] }] : [];
      const errors = {
        ...COMMON_ERRORS,
        ...(secured ? AUTH_ERRORS : {}),
        ...(method === 'get' ? {} : WRITE_ERRORS),
      };
      for (const [status, description] of Object.entries(errors)) {
        operation.responses[status] ??= {
          description,
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
    }
  }
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs.json' });
  return document;
}
