import { ProblemException } from './problem.exception';

describe('ProblemException', () => {
  it('carries its status and detail but no stack frames, and leaves the stack trace limit as it was', () => {
    const limit = Error.stackTraceLimit;
    const problem = new ProblemException('slot-taken', 'Someone else booked this time first.');
    expect(problem.status).toBe(409);
    expect(problem.message).toBe('Someone else booked this time first.');
    expect(problem.stack).not.toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBe(limit);
    // Other errors still get their frames, for the log of unexpected ones.
    expect(new Error('unexpected').stack).toMatch(/\n\s+at /);
  });
});
