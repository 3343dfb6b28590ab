import type { Principal } from '../auth/principal';
import { ProblemException } from '../problem/problem.exception';
import { Bind, worksAt } from './roles';

/**
 * Who may see and change what of a tutor, as pure rules (API.md: scope). A tutor's own data
 * (name, contacts, topics, languages, active) belongs to every branch the tutor works at; a
 * membership and the rules at a branch belong to that branch.
 */

export interface TutorFacts {
  id: string;
  kind: 'staff' | 'volunteer' | 'advisor';
  partnerId: string | null;
  locationIds: string[];
  /** Taken out of use (no slots anywhere); absent when the write does not touch it. */
  active?: boolean;
}

/** May the caller see this tutor at all (contacts included)? Otherwise the tutor answers 404. */
export function canSeeTutor(caller: Principal, tutor: TutorFacts): boolean {
  switch (caller.role) {
    case 'admin':
      return true;
    case 'staff':
      return tutor.locationIds.some((l) => caller.locationIds.includes(l));
    case 'tutor':
      return caller.tutorId === tutor.id;
    case 'partner':
      return tutor.partnerId !== null && tutor.partnerId === caller.partnerId;
    default:
      return false;
  }
}

/** Admins, and staff of a branch where the tutor works: edit the tutor's own data, add absences. */
export function canManageTutor(caller: Principal, tutor: TutorFacts): boolean {
  return caller.role === 'admin' || (caller.role === 'staff' && canSeeTutor(caller, tutor));
}

export type WriteVerdict = { allowed: true } | { allowed: false; code: 'not-found' | 'forbidden'; detail: string };

const allowed: WriteVerdict = { allowed: true };
const forbidden = (detail: string): WriteVerdict => ({ allowed: false, code: 'forbidden', detail });

/**
 * May the caller turn `before` (null when creating) into `after`? Staff add and remove only their
 * own branches, create tutors only at their own branches, and leave advisors (partners' people)
 * to admins and the partner's own users. A partner's users manage their own advisors' data but no
 * branch memberships (those belong to the branches).
 */
export function tutorWriteVerdict(caller: Principal, before: TutorFacts | null, after: TutorFacts): WriteVerdict {
  if (caller.role === 'admin') return allowed;
  if (caller.role === 'partner') return advisorWriteVerdict(caller, before, after);
  if (caller.role !== 'staff') return forbidden('Only admins and library staff change tutors.');
  if (before && !canSeeTutor(caller, before)) return { allowed: false, code: 'not-found', detail: 'No such tutor.' };
  if (after.kind === 'advisor' || (before && before.kind === 'advisor') || after.partnerId !== (before?.partnerId ?? null)) {
    return forbidden('Partner advisors are managed by admins.');
  }
  if (!before) {
    if (!after.locationIds.every((l) => worksAt(caller, l))) return forbidden('Staff create tutors only at their own branches.');
    return allowed;
  }
  // Deactivating empties the tutor's slots at every branch: other libraries' too.
  if (before.active !== false && after.active === false && !before.locationIds.every((l) => worksAt(caller, l))) {
    return forbidden('A tutor who also works at branches of other libraries is taken out of use by an admin.');
  }
  const changed = [
    ...after.locationIds.filter((l) => !before.locationIds.includes(l)),
    ...before.locationIds.filter((l) => !after.locationIds.includes(l)),
  ];
  if (!changed.every((l) => worksAt(caller, l))) return forbidden("You may change a tutor's membership only at your own branches.");
  return allowed;
}

function advisorWriteVerdict(caller: Principal, before: TutorFacts | null, after: TutorFacts): WriteVerdict {
  if (before && !canSeeTutor(caller, before)) return { allowed: false, code: 'not-found', detail: 'No such tutor.' };
  if (after.kind !== 'advisor' || after.partnerId !== caller.partnerId) return forbidden("A partner's users manage only their own advisors.");
  const memberships = before?.locationIds ?? [];
  if (after.locationIds.length !== memberships.length || after.locationIds.some((l) => !memberships.includes(l))) {
    return forbidden("An advisor's branches are the libraries' to change.");
  }
  return allowed;
}

/** Rules at a branch are that branch's: admins and its staff replace them. */
export function canEditRulesAt(caller: Principal, locationId: string): boolean {
  return worksAt(caller, locationId);
}

/** A tutor the caller may see; 404 otherwise (also when there is none). */
export function assertCanSeeTutor<T extends TutorFacts>(caller: Principal, tutor: T | undefined): T {
  if (!tutor || !canSeeTutor(caller, tutor)) throw ProblemException.notFound('tutor');
  return tutor;
}

/** Staff create a tutor at one or more of their own branches: they must name one. */
export function mustNameBranchToCreateTutor(caller: Principal): boolean {
  return caller.role === 'staff';
}

/**
 * canSeeTutor as a condition on `tutors t` for a list (null: every tutor), its values bound
 * with `bind`: staff the tutors at their branches, a tutor account its own tutor, a partner its
 * advisors.
 */
export function tutorScopeSql(caller: Principal, bind: Bind): string | null {
  if (caller.role === 'admin') return null;
  const any: string[] = [];
  if (caller.role === 'staff' && caller.locationIds.length) {
    any.push(`EXISTS (SELECT 1 FROM tutor_locations vl WHERE vl.tutor_id = t.id AND vl.location_id = ANY(${bind(caller.locationIds)}::uuid[]))`);
  }
  if (caller.role === 'tutor' && caller.tutorId) any.push(`t.id = ${bind(caller.tutorId)}`);
  if (caller.role === 'partner' && caller.partnerId) any.push(`t.partner_id = ${bind(caller.partnerId)}`);
  return any.length ? `(${any.join(' OR ')})` : 'false';
}
