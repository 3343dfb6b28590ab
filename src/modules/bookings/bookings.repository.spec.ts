import { undoneByPostgres } from './bookings.repository';

describe('undoneByPostgres (may a failed batch be decided again, call by call?)', () => {
  const pgError = (code: string, severity = 'ERROR') => Object.assign(new Error('x'), { code, severity });

  it.each(['23503', '23514', '40P01', '40001', '55P03', '57014', '22P02'])('yes after an error PostgreSQL reported for the statement: %s', (code) => {
    expect(undoneByPostgres(pgError(code))).toBe(true);
  });

  it.each(['57P01', '57P02', '08006', '58030', 'XX000'])('no after a lost connection or a server failure, which may follow the commit: %s', (code) => {
    expect(undoneByPostgres(pgError(code, 'FATAL'))).toBe(false);
  });

  it('no for errors that did not come from PostgreSQL', () => {
    expect(undoneByPostgres(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(false);
    expect(undoneByPostgres(Object.assign(new Error('pipe'), { code: 'EPIPE' }))).toBe(false);
    expect(undoneByPostgres(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(undoneByPostgres(undefined)).toBe(false);
    expect(undoneByPostgres(null)).toBe(false);
  });
});
