import { ProblemException } from '../../../common/problem/problem.exception';
import type { TransitionVerdict } from '../rules/lifecycle';

/** Who makes a booking or a change: a resident (public routes) or a signed-in user. */
export type Actor = { type: 'resident' } | { type: 'user'; userId: string };
export const RESIDENT: Actor = { type: 'resident' };

/** The event columns naming who acted. */
export function actorColumns(actor: Actor): { actorType: 'resident' | 'user'; actorUserId: string | null } {
  return actor.type === 'user' ? { actorType: 'user', actorUserId: actor.userId } : { actorType: 'resident', actorUserId: null };
}

/** Throws the problem of a refused transition (403, 409 or 422). */
export function assertVerdict(v: TransitionVerdict): void {
  if (!v.allowed) throw new ProblemException(v.problem, v.detail);
}
