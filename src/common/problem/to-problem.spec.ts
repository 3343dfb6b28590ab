import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ProblemException } from './problem.exception';
import { toProblem } from './to-problem';

const dbError = (code: string) => new QueryFailedError('INSERT INTO secret_table VALUES ($1)', ['hunter2'], Object.assign(new Error('duplicate key value violates "users_email_key"'), { code }));

describe('toProblem', () => {
  it('keeps a ProblemException as it is, with its headers', () => {
    const { body, headers, unexpected } = toProblem(new ProblemException('rate-limited', 'slow down', undefined, { 'retry-after': '5' }));
    expect(body).toEqual({ type: '/problems/rate-limited', title: 'Too many requests', status: 429, detail: 'slow down' });
    expect(headers).toEqual({ 'retry-after': '5' });
    expect(unexpected).toBe(false);
  });

  it.each([
    ['23505', 409, '/problems/already-exists'],
    ['23P01', 409, '/problems/slot-taken'],
    ['23503', 422, '/problems/validation-failed'],
    ['22P02', 422, '/problems/validation-failed'],
  ])('maps SQLSTATE %s to %i %s without SQL or values', (code, status, type) => {
    const { body, unexpected } = toProblem(dbError(code));
    expect(body.status).toBe(status);
    expect(body.type).toBe(type);
    expect(unexpected).toBe(false);
    expect(JSON.stringify(body)).not.toMatch(/secret_table|hunter2|users_email_key/);
  });

  it.each(['40P01', '40001'])('answers an unhandled concurrency failure (SQLSTATE %s) with a 503 to retry, and still logs it', (code) => {
    const { body, headers, unexpected } = toProblem(dbError(code));
    expect(body).toMatchObject({ type: '/problems/service-unavailable', status: 503 });
    expect(headers).toEqual({ 'retry-after': '1' });
    expect(unexpected).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/secret_table|hunter2|users_email_key|40P01|40001/);
  });

  it('hides unknown database errors and anything else as a 500', () => {
    for (const error of [dbError('XX000'), new Error('password=swordfish'), 'a string', undefined]) {
      const { body, unexpected } = toProblem(error);
      expect(body.status).toBe(500);
      expect(body.type).toBe('/problems/internal-error');
      expect(unexpected).toBe(true);
      expect(JSON.stringify(body)).not.toMatch(/swordfish|XX000/);
    }
  });

  it('maps Nest and Fastify errors by status with our own texts', () => {
    expect(toProblem(new NotFoundException('Cannot GET /secret?token=abc')).body).toEqual({ type: '/problems/not-found', title: 'Not found', status: 404, detail: expect.not.stringContaining('token') });
    expect(toProblem(new PayloadTooLargeException()).body.status).toBe(413);
    expect(toProblem(new BadRequestException('Unexpected token } in JSON')).body.type).toBe('/problems/malformed-request');
    expect(toProblem(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 })).body).toMatchObject({ status: 415, type: '/problems/unsupported-media-type' });
  });
});
