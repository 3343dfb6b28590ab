import { HttpException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-unavailable';
import { problemBody, ProblemBody } from './problem-body';
import { ProblemCode } from './problem-types';
import { ProblemException } from './problem.exception';

export interface ProblemResponse {
  body: ProblemBody;
  headers: Record<string, string>;
  /** True when the error was not expected: log it, show nothing of it. */
  unexpected: boolean;
}

const BY_STATUS: Record<number, ProblemCode> = {
  400: 'malformed-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-found',
  409: 'already-exists',
  412: 'version-mismatch',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'validation-failed',
  429: 'rate-limited',
  503: 'service-unavailable',
};

/** deadlock_detected, serialization_failure: nothing is wrong with the request or the data. */
const CONCURRENCY_FAILURES = new Set(['40P01', '40001']);

/** PostgreSQL SQLSTATEs that mean the request, not the service, is at fault. */
const BY_SQLSTATE: Record<string, { code: ProblemCode; detail: string }> = {
  '23505': { code: 'already-exists', detail: 'Something with the same unique value exists already.' },
  '23P01': { code: 'slot-taken', detail: 'The time is already taken.' },
  '23503': { code: 'validation-failed', detail: 'A referenced item does not exist.' },
  '23514': { code: 'validation-failed', detail: 'A value breaks a rule of the data.' },
  '22P02': { code: 'validation-failed', detail: 'A value has the wrong form.' },
  '22007': { code: 'validation-failed', detail: 'A date or time has the wrong form.' },
  '22008': { code: 'validation-failed', detail: 'A date or time is out of range.' },
  '22003': { code: 'validation-failed', detail: 'A number is out of range.' },
  '22001': { code: 'validation-failed', detail: 'A value is too long.' },
};

/**
 * Maps anything thrown while serving a request to a problem+json body. Never copies an
 * unexpected error's message, SQL or stack into the body.
 */
export function toProblem(error: unknown): ProblemResponse {
  if (error instanceof ProblemException) {
    return {
      body: problemBody(error.code, error.detail, error.errors, error.extensions),
      headers: error.headers ?? {},
      unexpected: false,
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      body: problemBody('service-unavailable', 'The database cannot be reached right now. Try again shortly.'),
      headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
      unexpected: false,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = BY_STATUS[status];
    if (code) return { body: problemBody(code, safeHttpDetail(error, code)), headers: {}, unexpected: false };
    return internal();
  }
  if (error instanceof QueryFailedError) {
    const sqlState = (error.driverError as { code?: string } | undefined)?.code;
    const known = sqlState ? BY_SQLSTATE[sqlState] : undefined;
    if (known) return { body: problemBody(known.code, known.detail), headers: {}, unexpected: false };
    // A deadlock or serialization failure the code did not handle: the request may simply be
    // tried again (503, not 500), but it is still logged, as it points at an order of locks to fix.
    if (sqlState && CONCURRENCY_FAILURES.has(sqlState)) {
      return { body: problemBody('service-unavailable', 'A change made at the same moment got in the way. Try again.'), headers: { 'retry-after': '1' }, unexpected: true };
    }
    return internal();
  }
  const fastifyError = error as { statusCode?: number; code?: string } | undefined;
  if (fastifyError?.code?.startsWith('FST_') && fastifyError.statusCode && fastifyError.statusCode < 500) {
    const code = BY_STATUS[fastifyError.statusCode] ?? 'malformed-request';
    return { body: problemBody(code, FASTIFY_DETAILS[fastifyError.code] ?? 'The request could not be read.'), headers: {}, unexpected: false };
  }
  if (fastifyError?.statusCode === 400 || error instanceof SyntaxError) {
    return { body: problemBody('malformed-request', 'The request body is not valid JSON.'), headers: {}, unexpected: false };
  }
  return internal();
}

const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty but its Content-Type says JSON.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send the body as application/json.',
  FST_ERR_CTP_INVALID_TYPE: 'Send the body as application/json.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length does not match the body.',
};

function internal(): ProblemResponse {
  return { body: problemBody('internal-error', 'Something went wrong on our side.'), headers: {}, unexpected: true };
}

/** Only our own fixed texts go out: Nest's messages can carry input. */
function safeHttpDetail(error: HttpException, code: ProblemCode): string | undefined {
  if (code === 'not-found') return 'Nothing is here, or it is not yours to see.';
  if (code === 'unauthenticated') return 'A valid access token is required.';
  if (code === 'forbidden') return 'You may not do this.';
  if (code === 'payload-too-large') return 'The request body is too large.';
  if (code === 'malformed-request') {
    const message = error.message;
    return /json/i.test(message) ? 'The request body is not valid JSON.' : 'The request could not be read.';
  }
  return undefined;
}
