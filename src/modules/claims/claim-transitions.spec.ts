import { CLAIM_STATUSES, ClaimAction, decideClaimTransition } from './claim-transitions';

const NOW = Date.parse('2027-01-10T10:00:00Z');
const LATER = NOW + 3_600_000;
const decide = (status: (typeof CLAIM_STATUSES)[number], action: ClaimAction, sides: ('partner' | 'branch' | 'system')[], end = LATER) =>
  decideClaimTransition({ status, action, sides, end, now: NOW });

describe('claim transitions', () => {
  it('moves a requested claim to approved, rejected or withdrawn, and an approved one to cancelled', () => {
    expect(decide('requested', 'approve', ['branch'])).toEqual({ allowed: true, to: 'approved' });
    expect(decide('requested', 'reject', ['branch'])).toEqual({ allowed: true, to: 'rejected' });
    expect(decide('requested', 'withdraw', ['partner'])).toEqual({ allowed: true, to: 'withdrawn' });
    expect(decide('approved', 'cancel', ['partner'])).toEqual({ allowed: true, to: 'cancelled' });
    expect(decide('approved', 'cancel', ['branch'])).toEqual({ allowed: true, to: 'cancelled' });
    expect(decide('approved', 'cancel', ['system'])).toEqual({ allowed: true, to: 'cancelled' });
    expect(decide('requested', 'withdraw', ['system'])).toEqual({ allowed: true, to: 'withdrawn' });
  });

  it('allows nothing else (409 invalid-transition)', () => {
    const table: [ClaimAction, (typeof CLAIM_STATUSES)[number]][] = [];
    for (const action of ['approve', 'reject', 'withdraw', 'cancel'] as ClaimAction[]) for (const status of CLAIM_STATUSES) table.push([action, status]);
    const allowed = table.filter(([action, status]) => decide(status, action, ['partner', 'branch']).allowed).map(([a, s]) => `${a} ${s}`);
    expect(allowed).toEqual(['approve requested', 'reject requested', 'withdraw requested', 'cancel approved']);
    expect(decide('approved', 'approve', ['branch'])).toMatchObject({ allowed: false, code: 'invalid-transition' });
    expect(decide('cancelled', 'cancel', ['branch'])).toMatchObject({ allowed: false, code: 'invalid-transition' });
  });

  it('keeps each side to its own acts (403 before the state is looked at)', () => {
    expect(decide('requested', 'approve', ['partner'])).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(decide('requested', 'reject', ['partner'])).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(decide('requested', 'withdraw', ['branch'])).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(decide('rejected', 'withdraw', ['branch'])).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(decide('requested', 'approve', [])).toMatchObject({ allowed: false, code: 'forbidden' });
  });

  it('does not approve or cancel a claim that has ended', () => {
    expect(decide('approved', 'cancel', ['branch'], NOW)).toMatchObject({ allowed: false, code: 'invalid-transition' });
    expect(decide('requested', 'approve', ['branch'], NOW - 1)).toMatchObject({ allowed: false, code: 'invalid-transition' });
    expect(decide('requested', 'reject', ['branch'], NOW - 1)).toEqual({ allowed: true, to: 'rejected' });
    expect(decide('approved', 'cancel', ['branch'], NOW + 1)).toEqual({ allowed: true, to: 'cancelled' });
  });
});
