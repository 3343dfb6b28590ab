import { FixedClock } from '../../common/time/clock';
import { loadConfig } from '../../config/app-config';
import type { ClaimedMessage, MessagesRepository } from './messages.repository';
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

  it('starts no send after half of the lease; the rest of the batch is released and sent on a fresh claim', async () => {
    const clock = new FixedClock(new Date('2027-01-04T06:00:00Z'));
    const message = (i: number) => ({ id: `m${i}`, attempt: 1 }) as ClaimedMessage;
    const batches = [Array.from({ length: 20 }, (_, i) => message(i))];
    const released: string[][] = [];
    const repo = {
      claimDue: jest.fn(async () => batches.shift() ?? []),
      release: jest.fn(async (ms: ClaimedMessage[]) => {
        released.push(ms.map((m) => m.id));
        batches.push(ms);
      }),
    } as unknown as MessagesRepository;
    const outbox = new Outbox(repo, clock, config);
    const tried: string[] = [];
    jest.spyOn(outbox, 'deliver').mockImplementation(async (m) => {
      tried.push(m.id);
      // The first send is slow: six minutes of a ten-minute lease.
      if (tried.length === 1) clock.advance(6 * 60_000);
      await Promise.resolve();
      return 'sent';
    });
    expect(await outbox.deliverDue()).toEqual({ sent: 20, failed: 0, dead: 0, cancelled: 0 });
    expect(released).toEqual([Array.from({ length: 19 }, (_, i) => `m${i + 1}`)]);
    expect(tried).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(repo.claimDue).toHaveBeenCalledTimes(2); // the batch, then the released rest (not a full batch: the pass ends)
    await outbox.onApplicationShutdown();
  });
});
