import type { Slot } from './engine';
import { SearchSnapshot } from './search-snapshot';
import { KINDS } from './slot-common';

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
