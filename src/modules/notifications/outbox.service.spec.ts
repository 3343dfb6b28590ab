import { FixedClock } from '../../common/time/clock';
import { loadConfig } from '../../config/app-config';
import type { MessagesRepository } from './messages.repository';
import { Outbox } from './outbox.service';

describe('Outbox.deliverDue', () => {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://x@localhost/x', TUKIAIKA_AUTH_SECRET: 'a-secret-long-enough-for-the-tests-0123456789' });

  it('joins a pass under way, which then goes round once more for what was written meanwhile', async () => {
    let release!: () => void;
    const claims: number[] = [];
    const repo = {
      claimDue: jest.fn(async () => {
        claims.push(claims.length);
        if (claims.length === 1) await new Promise<void>((r) => (release = r));
        return [];
      }),
    } as unknown as MessagesRepository;
    const outbox = new Outbox(repo, new FixedClock(new Date('2027-01-04T06:00:00Z')), config);
    const first = outbox.deliverDue();
    const second = outbox.deliverDue();
    expect(second).toBe(first);
    await Promise.resolve();
    release();
    await first;
    expect(claims).toHaveLength(2);
    await outbox.deliverDue();
    expect(claims).toHaveLength(3);
    await outbox.onApplicationShutdown();
  });
});
