import { FixedClock } from '../../common/time/clock';
import { localDayOf } from '../../common/time/local-time';
import type { Slot } from './engine';
import { SearchSnapshot, SearchSnapshots } from './search-snapshot';
import { KINDS } from './slot-common';
import type { RuleTuple, SearchInputs, SlotSearchRepository } from './slot-search.repository';

const inputs = {
  version: '1',
  tutors: [],
  locations: [],
  rules: [],
  topics: [],
  claims: [],
  partners: [],
};

/** A block of `n` slots (their content does not matter to the cache). */
const block = (n: number) => () => new Array<Slot>(n);

describe('SearchSnapshot candidate blocks', () => {
  it('computes a block once and gives it to every later search of the scope', () => {
    const snapshot = new SearchSnapshot(inputs);
    const scope = snapshot.scope({ kinds: KINDS, topic: 'a' });
    const compute = jest.fn(block(3));
    const first = snapshot.candidateBlock(scope, 0, compute);
    expect(snapshot.candidateBlock(snapshot.scope({ kinds: KINDS, topic: 'a' }), 0, compute)).toBe(first);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('drops the least recently used scopes first when it holds too many slots', () => {
    const snapshot = new SearchSnapshot(inputs);
    const old = snapshot.scope({ kinds: KINDS, topic: 'old' });
    const recent = snapshot.scope({ kinds: KINDS, topic: 'recent' });
    const oldBlock = snapshot.candidateBlock(old, 0, block(80_000));
    const recentBlock = snapshot.candidateBlock(recent, 0, block(80_000));
    snapshot.scope({ kinds: KINDS, topic: 'recent' });
    // A third scope goes over the limit: the old scope loses its block, the recent one keeps it.
    const third = snapshot.scope({ kinds: KINDS, topic: 'third' });
    snapshot.candidateBlock(third, 0, block(80_000));
    expect(snapshot.candidateBlock(recent, 0, block(1))).toBe(recentBlock);
    expect(snapshot.candidateBlock(old, 0, block(1))).not.toBe(oldBlock);
  });
});

const BRANCH = '10000000-0000-4000-8000-000000000001';
const BANKER = '20000000-0000-4000-8000-000000000001';
const CALLER = '20000000-0000-4000-8000-000000000002';
/** A Helsinki branch open every day 09–17, with a banking tutor and a video-call tutor there. */
const branchInputs: SearchInputs = {
  version: '3',
  tutors: [
    [BANKER, 'Pankki-Pirkko', 'staff', ['fi'], ['online-banking']],
    [CALLER, 'Video-Ville', 'volunteer', ['fi'], ['video-calls']],
  ],
  locations: [
    [
      BRANCH,
      '091',
      'Europe/Helsinki',
      0,
      60,
      [[null, null, [1, 2, 3, 4, 5, 6, 7].map((d): [number, number, number] => [d, 540, 1020])]],
      [],
      [],
      ['branch', { fi: 'B', sv: 'B', en: 'B' }, { street: 'Katu 1', postalCode: '00100', city: 'Helsinki' }, 60, 3, false],
    ],
  ],
  rules: [1, 2, 3, 4, 5, 6, 7].flatMap((d): RuleTuple[] => [
    [BANKER, BRANCH, d, 600, 720, 45, 15, '2027-01-01', null],
    [CALLER, BRANCH, d, 780, 900, 30, 0, '2027-01-01', null],
  ]),
  topics: [
    ['30000000-0000-4000-8000-000000000001', 'online-banking'],
    ['30000000-0000-4000-8000-000000000002', 'video-calls'],
  ],
  claims: [],
  partners: [],
};
const NOW = Date.parse('2027-03-23T06:00:00Z');
const TODAY = localDayOf('Europe/Helsinki', NOW);

describe('SearchSnapshot branch days', () => {
  /** Lets the warm-up's slices run (each waits for the next turn of the event loop). */
  const turns = async (n: number) => {
    for (let turn = 0; turn < n; turn++) await new Promise((resolve) => setImmediate(resolve));
  };

  it("computes a branch's day once for every scope, each taking its own tutors' slots", () => {
    const snapshot = new SearchSnapshot(branchInputs);
    const location = snapshot.locations.get(BRANCH)!;
    const day = snapshot.branchDay(location, TODAY);
    expect(day.map((s) => `${s.tutorId === BANKER ? 'bank' : 'call'} ${s.start.toISOString()}`)).toEqual([
      'bank 2027-03-23T08:00:00.000Z',
      'bank 2027-03-23T09:00:00.000Z',
      'call 2027-03-23T11:00:00.000Z',
      'call 2027-03-23T11:30:00.000Z',
      'call 2027-03-23T12:00:00.000Z',
      'call 2027-03-23T12:30:00.000Z',
    ]);
    expect(snapshot.branchDay(location, TODAY)).toBe(day);
    expect(snapshot.branchDaysKept).toBe(1);
    expect(snapshot.branchDay(location, TODAY + 1)).toHaveLength(6);
    expect(snapshot.branchDaysKept).toBe(2);
  });

  it('drops the least recently used days when it holds too many slots', () => {
    const snapshot = new SearchSnapshot(branchInputs, { maxKeptCandidates: 20 });
    const location = snapshot.locations.get(BRANCH)!;
    const [first, second, third] = [0, 1, 2].map((n) => snapshot.branchDay(location, TODAY + n));
    snapshot.branchDay(location, TODAY);
    // A fourth day of 6 slots goes over 20: the days used longest ago go, down to 10 slots.
    snapshot.branchDay(location, TODAY + 7);
    expect(snapshot.branchDaysKept).toBe(2);
    expect(snapshot.branchDay(location, TODAY)).toBe(first);
    expect(snapshot.branchDay(location, TODAY + 1)).not.toBe(second);
    expect(snapshot.branchDay(location, TODAY + 2)).not.toBe(third);
  });

  it('computes the next days of every branch ahead, between other work, once a snapshot is loaded', async () => {
    const repo = { inputs: async () => branchInputs } as unknown as SlotSearchRepository;
    const snapshots = new SearchSnapshots(repo, new FixedClock(new Date(NOW)));
    const snapshot = await snapshots.current();
    await turns(100);
    expect(snapshot.branchDaysKept).toBe(15);
    const location = snapshot.locations.get(BRANCH)!;
    const sessions = Array.from({ length: 15 }, (_, i) => snapshot.branchDay(location, TODAY + i).length);
    // 23.3.–6.4.2027: closed on Good Friday, Easter Sunday and Easter Monday.
    expect(sessions).toEqual([6, 6, 6, 0, 6, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6]);
    expect(snapshot.branchDaysKept).toBe(15);
  });

  it('does not compute ahead without a clock, nor after shutdown', async () => {
    const repo = { inputs: async () => branchInputs } as unknown as SlotSearchRepository;
    const withoutClock = await new SearchSnapshots(repo).current();
    const stopped = new SearchSnapshots(repo, new FixedClock(new Date(NOW)));
    const loading = stopped.current();
    stopped.onApplicationShutdown();
    const afterShutdown = await loading;
    await turns(20);
    expect(withoutClock.branchDaysKept).toBe(0);
    expect(afterShutdown.branchDaysKept).toBe(0);
  });
});
