import type { Principal } from '../auth/principal';
import { ProblemException } from '../problem/problem.exception';
import type { Bind } from './roles';

/**
 * Which deliveries (the outbox's messages) a caller may see and retry: admins all; staff those
 * about their branches. Tutors and partners none (the routes are for admins and staff only).
 */
export type MessageScope = { kind: 'all' } | { kind: 'locations'; locationIds: string[] } | { kind: 'none' };

export function messageScopeOf(caller: Principal): MessageScope {
  if (caller.role === 'admin') return { kind: 'all' };
  if (caller.role === 'staff' && caller.locationIds.length) return { kind: 'locations', locationIds: caller.locationIds };
  return { kind: 'none' };
}

export function canSeeMessage(caller: Principal, m: { locationId: string | null }): boolean {
  const scope = messageScopeOf(caller);
  return scope.kind === 'all' || (scope.kind === 'locations' && m.locationId !== null && scope.locationIds.includes(m.locationId));
}

/** The message, if the caller may see it; 404 otherwise (also when there is none). */
export function assertCanSeeMessage<M extends { locationId: string | null }>(caller: Principal, m: M | undefined): M {
  if (!m || !canSeeMessage(caller, m)) throw ProblemException.notFound('message');
  return m;
}

/** The scope as a condition on `messages m` (null: everything). */
export function messageScopeSql(scope: MessageScope, bind: Bind): string | null {
  switch (scope.kind) {
    case 'all':
      return null;
    case 'locations':
      return `m.location_id = ANY(${bind(scope.locationIds)}::uuid[])`;
    case 'none':
      return 'false';
  }
}
