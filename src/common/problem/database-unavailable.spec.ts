import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable';
import { toProblem } from './to-problem';

describe('isDatabaseUnavailable', () => {
  it('recognises refused and dropped connections and a server shutting down', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]))).toBe(true);
  });

  it('leaves data and programming errors alone', () => {
    expect(isDatabaseUnavailable(new QueryFailedError('x', [], Object.assign(new Error('duplicate'), { code: '23505' })))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  it('becomes 503 service-unavailable with Retry-After', () => {
    const { body, headers, unexpected } = toProblem(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect(body).toMatchObject({ status: 503, type: '/problems/service-unavailable' });
    expect(Number(headers['retry-after'])).toBeGreaterThan(0);
    expect(unexpected).toBe(false);
  });
});
