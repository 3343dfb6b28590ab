/**
 * The claim workflow (API.md): `requested → approved | rejected | withdrawn; approved → cancelled`.
 * The one place the transitions live: every status change of a claim is decided here, as a pure
 * function of plain data (no Nest, no database, no clock).
 */

export const CLAIM_STATUSES = ['requested', 'approved', 'rejected', 'withdrawn', 'cancelled'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export type ClaimAction = 'approve' | 'reject' | 'withdraw' | 'cancel';

/**
 * Whose act it is: the partner's (its users; admins acting for it), the branch's (its staff and
 * admins), or the system's (a cascade such as the partner's deactivation).
 */
export type ClaimSide = 'partner' | 'branch' | 'system';

interface Transition {
  from: ClaimStatus;
  to: ClaimStatus;
  by: readonly ClaimSide[];
  /** Only before the claim has ended (approving or cancelling what is over means nothing). */
  beforeEnd: boolean;
}

export const CLAIM_TRANSITIONS: Readonly<Record<ClaimAction, Transition>> = {
  approve: { from: 'requested', to: 'approved', by: ['branch'], beforeEnd: true },
  reject: { from: 'requested', to: 'rejected', by: ['branch'], beforeEnd: false },
  withdraw: { from: 'requested', to: 'withdrawn', by: ['partner', 'system'], beforeEnd: false },
  cancel: { from: 'approved', to: 'cancelled', by: ['partner', 'branch', 'system'], beforeEnd: true },
};

export type ClaimVerdict = { allowed: true; to: ClaimStatus } | { allowed: false; code: 'forbidden' | 'invalid-transition'; detail: string };

/** May this side ever take this action (403 otherwise, before the state is looked at)? */
export function sideMayAct(action: ClaimAction, sides: readonly ClaimSide[]): boolean {
  return CLAIM_TRANSITIONS[action].by.some((s) => sides.includes(s));
}

/** The action's target status, or why not: the wrong side (403) or the wrong state (409). */
export function decideClaimTransition(q: { status: ClaimStatus; action: ClaimAction; sides: readonly ClaimSide[]; end: number; now: number }): ClaimVerdict {
  const t = CLAIM_TRANSITIONS[q.action];
  if (!sideMayAct(q.action, q.sides)) {
    return { allowed: false, code: 'forbidden', detail: q.action === 'withdraw' ? 'Only the partner withdraws its request.' : 'Only the staff of the branch decide on claims.' };
  }
  if (q.status !== t.from) return { allowed: false, code: 'invalid-transition', detail: `The claim is ${q.status}; only a ${t.from} claim can be ${PAST[q.action]}.` };
  if (t.beforeEnd && q.now >= q.end) return { allowed: false, code: 'invalid-transition', detail: `The claim has ended; it can no longer be ${PAST[q.action]}.` };
  return { allowed: true, to: t.to };
}

const PAST: Record<ClaimAction, string> = { approve: 'approved', reject: 'rejected', withdraw: 'withdrawn', cancel: 'cancelled' };
