import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problemBody } from '../problem/problem-body';
import { ProblemException } from '../problem/problem.exception';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth';

/** Headers every response carries, those written outside Fastify's hooks included. */
export const ALWAYS_HEADERS = { 'x-content-type-options': 'nosniff' } as const;

/**
 * JSON is the only body the API reads: Fastify's text/plain parser (and Nest's urlencoded one)
 * would hand a string or a flat form to the validation, which answered 422 with a field list;
 * without a parser Fastify answers 415, which becomes `unsupported-media-type`. The JSON parser
 * is Fastify's own (prototype-poisoning checks), behind a depth check that runs first. HTML
 * forms (the resident pages, outside `/api/`) post flat url-encoded fields: parsed into a plain
 * object of strings (a repeated field keeps its last value), never for the API.
 */
export function registerJsonOnlyBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body: string, done) => {
    if (exceedsJsonDepth(body)) {
      done(new ProblemException('malformed-request', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`), undefined);
      return;
    }
    parseJson(request, body, done);
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (request, body: string, done) => {
    if (request.url.startsWith('/api/')) {
      done(new ProblemException('unsupported-media-type', 'The API reads JSON bodies only (Content-Type: application/json).'), undefined);
      return;
    }
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, value] of new URLSearchParams(body)) fields[name] = value;
    done(null, fields);
  });
}

/**
 * The router's own refusals (a URL that does not decode: 400; a path parameter over the length
 * limit: 414) as problem+json, keeping their status and echoing nothing of the URL.
 */
export function onFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode === 414 ? 414 : 400;
  const body = { ...problemBody('malformed-request', status === 414 ? 'A part of the URL is too long.' : 'The URL could not be read.'), status };
  void reply
    .status(status)
    .headers({ ...ALWAYS_HEADERS, 'content-type': 'application/problem+json; charset=utf-8' })
    .send(JSON.stringify(body));
}

const CLIENT_ERRORS: Record<string, { status: number; reason: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', detail: 'The request headers are too large.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', detail: 'The request took too long to arrive.' },
};

/**
 * Node's HTTP parser refusals (headers over the limit: 431, a request that is not HTTP: 400),
 * answered before any request exists, written to the socket as problem+json.
 */
export function onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, reason: 'Bad Request', detail: 'The request could not be read.' };
  const body = JSON.stringify({ ...problemBody('malformed-request', known.detail), status: known.status });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${known.reason}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `X-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

