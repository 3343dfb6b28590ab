import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, QueryFailedError } from 'typeorm';
import { assertCanSeeClaim, claimSidesOf } from '../../../common/access/claim-access';
import type { Principal } from '../../../common/auth/principal';
import { problemBody } from '../../../common/problem/problem-body';
import { ProblemException } from '../../../common/problem/problem.exception';
import { Clock } from '../../../common/time/clock';
import { formatLocalDate } from '../../../common/time/format';
import type { AffectedBooking } from '../../locations/closure-bookings.port';
import { LocationsService } from '../../locations/locations.service';
import type { PartnerClaims } from '../../partners/partner-claims.port';
import { CLAIM_BOOKINGS, ClaimBookings } from '../claim-bookings.port';
import { claimOpeningProblem } from '../claim-opening';
import { ClaimAction, ClaimSide, decideClaimTransition, sideMayAct } from '../claim-transitions';
import { toClaimView } from '../claim-view';
import { ClaimActor, ClaimRecord, ClaimsRepository } from '../claims.repository';
import type { CancelledClaimView, ClaimView, SeriesDecisionView } from '../dto/claim.dto';
import { ClaimQuotaCheck } from './claim-quota-check';

/**
 * The claim workflow: approve, reject, withdraw, cancel (one claim or a whole series), and the
 * partner's deactivation. What may happen is claim-transitions.ts; this reads, asks it, and
 * writes in one transaction. An approval re-checks the branch's opening hours, the quota (under
 * the partner's quota lock) and, through PostgreSQL's exclusion constraints, the room and the
 * advisors. Two deciders at once: the claim row is locked and written only if still at the
 * status and version read; the later one answers 409 invalid-transition.
 */
@Injectable()
export class ClaimWorkflowService implements PartnerClaims {
  constructor(
    private readonly repo: ClaimsRepository,
    private readonly quota: ClaimQuotaCheck,
    private readonly locations: LocationsService,
    @Inject(CLAIM_BOOKINGS) private readonly bookings: ClaimBookings,
    private readonly clock: Clock,
  ) {}

  async act(caller: Principal, id: string, action: Exclude<ClaimAction, 'cancel'>, reason: string | null): Promise<ClaimView> {
    const claim = assertCanSeeClaim(caller, await this.repo.findById(id));
    await this.decide(caller, claim, action, reason);
    return toClaimView((await this.repo.findById(id))!);
  }

  /** approved → cancelled, cancelling the confirmed bookings in it (listed as closures list theirs). */
  async cancel(caller: Principal, id: string, reason: string): Promise<CancelledClaimView> {
    const claim = assertCanSeeClaim(caller, await this.repo.findById(id));
    const affectedBookings = await this.decide(caller, claim, 'cancel', reason);
    return { ...toClaimView((await this.repo.findById(id))!), affectedBookings };
  }

  /** Every claim of the series, by start, each decided on its own: one that fails leaves the others decided. */
  async actOnSeries(caller: Principal, seriesId: string, action: 'approve' | 'reject', reason: string | null): Promise<SeriesDecisionView> {
    const claims = await this.repo.ofSeries(seriesId);
    if (claims.length === 0) throw ProblemException.notFound('claim series');
    assertCanSeeClaim(caller, claims[0]);
    if (!sideMayAct(action, claimSidesOf(caller, claims[0]))) throw new ProblemException('forbidden', 'Only the staff of the branch decide on claims.');
    const items: SeriesDecisionView['items'] = [];
    for (const claim of claims) {
      try {
        await this.decide(caller, claim, action, reason);
        items.push({ claimId: claim.id, status: (await this.repo.findById(claim.id))!.status });
      } catch (error) {
        if (!(error instanceof ProblemException)) throw error;
        items.push({ claimId: claim.id, status: (await this.repo.findById(claim.id))!.status, problem: { ...problemBody(error.code, error.detail, error.errors, error.extensions) } });
      }
    }
    return { items };
  }

  /** PARTNER_CLAIMS: in the deactivation's transaction, withdraw the requested claims and cancel the approved ones not ended. */
  async partnerDeactivated(q: { partnerId: string; reason: string | null; actorUserId: string; manager: EntityManager }): Promise<{ withdrawn: string[]; cancelled: string[] }> {
    const now = this.clock.now();
    const actor: ClaimActor = { type: 'user', userId: q.actorUserId };
    const withdrawn: string[] = [];
    const cancelled: string[] = [];
    for (const c of await this.repo.lockOpenOfPartner(q.manager, q.partnerId, now)) {
      const action = c.status === 'requested' ? 'withdraw' : 'cancel';
      const verdict = decideClaimTransition({ status: c.status, action, sides: ['system'], end: c.end.getTime(), now: now.getTime() });
      if (!verdict.allowed) continue;
      await this.repo.changeStatus(q.manager, { id: c.id, from: c.status, version: c.version, to: verdict.to, reason: q.reason, actor, now, payload: { partnerDeactivated: true } });
      (action === 'withdraw' ? withdrawn : cancelled).push(c.id);
    }
    if (cancelled.length) await this.bookings.claimsCancelled({ claimIds: cancelled, reason: q.reason, actorUserId: q.actorUserId, manager: q.manager });
    return { withdrawn, cancelled };
  }

  /**
   * One claim's transition in its own transaction; a cancellation answers the bookings it
   * touched. `seen` is the claim as read before (its branch and partner, to check the side).
   */
  private async decide(caller: Principal, seen: ClaimRecord, action: ClaimAction, reason: string | null): Promise<AffectedBooking[]> {
    const sides: ClaimSide[] = claimSidesOf(caller, seen);
    if (!sideMayAct(action, sides)) throw new ProblemException('forbidden', action === 'withdraw' ? 'Only the partner withdraws its request.' : 'Only the staff of the branch decide on claims.');
    try {
      return await this.repo.transaction(async (m) => {
        if (action === 'approve') await this.repo.lockPartnerQuota(m, seen.partnerId);
        const c = (await this.repo.findById(seen.id, m, true))!;
        const now = this.clock.now();
        const verdict = decideClaimTransition({ status: c.status, action, sides, end: c.end.getTime(), now: now.getTime() });
        if (!verdict.allowed) throw new ProblemException(verdict.code, verdict.detail);
        if (action === 'approve') await this.assertOpen(c);
        if (action === 'approve') await this.assertAdvisorsActive(m, c);
        if (action === 'approve') await this.quota.assertWithin(m, { partnerId: c.partnerId, locationId: c.locationId, times: [c], counted: ['approved'], exceptId: c.id });
        const changed = await this.repo.changeStatus(m, { id: c.id, from: c.status, version: c.version, to: verdict.to, reason, actor: { type: 'user', userId: caller.id }, now });
        if (!changed) throw new ProblemException('invalid-transition', 'The claim changed at the same moment; read it again.');
        return action === 'cancel' ? this.bookings.claimsCancelled({ claimIds: [c.id], reason, actorUserId: caller.id, manager: m }) : [];
      });
    } catch (error) {
      throw exclusionProblem(error) ?? error;
    }
  }

  /** 422 advisor-inactive when an advisor the claim names has been deactivated (or left the partner) since the request. */
  private async assertAdvisorsActive(m: EntityManager, c: ClaimRecord): Promise<void> {
    const active = await this.repo.activeAdvisorsOf(c.partnerId, c.advisorIds, m);
    const gone = c.advisorIds.filter((id) => !active.has(id));
    if (gone.length) throw new ProblemException('advisor-inactive', `Not an active advisor of the partner any more: ${gone.join(', ')}. The partner withdraws the claim and requests it again.`);
  }

  /** 422 location-closed / outside-opening-hours unless the claim lies inside the branch's opening hours on its date. */
  private async assertOpen(c: ClaimRecord): Promise<void> {
    const date = formatLocalDate(c.start, c.timeZone);
    const [days, closures] = await Promise.all([this.locations.resolvedDays(c.locationId, { from: date, to: date }), this.locations.closureSpans(c.locationId, c.start, c.end)]);
    const problem = claimOpeningProblem(days[0], closures, c);
    if (problem === 'location-closed') throw new ProblemException(problem, 'The library is closed at this time (holiday, closure or out of use).');
    if (problem) throw new ProblemException(problem, 'The claim does not lie within the library’s opening hours on its date.');
  }
}

/** An approval PostgreSQL refused: the room (claims_room_free) or an advisor (claim_advisors_not_double_claimed) is held by another approved claim. */
function exclusionProblem(error: unknown): ProblemException | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const e = error.driverError as { code?: string; constraint?: string } | undefined;
  if (e?.code !== '23P01') return undefined;
  if (e.constraint === 'claims_room_free') return new ProblemException('room-taken', 'Another approved claim holds the room at this time.');
  if (e.constraint === 'claim_advisors_not_double_claimed') return new ProblemException('advisor-busy', 'An advisor of this claim is in another approved claim at this time.');
  return undefined;
}
