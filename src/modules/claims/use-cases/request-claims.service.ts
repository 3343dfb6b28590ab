import { Injectable } from '@nestjs/common';
import { assertMayRequestClaimsFor } from '../../../common/access/claim-access';
import type { Principal } from '../../../common/auth/principal';
import { FieldError, ProblemException } from '../../../common/problem/problem.exception';
import { Clock } from '../../../common/time/clock';
import { parseInstant } from '../../../common/time/instant';
import { parseIsoDate } from '../../../common/time/local-time';
import { LocationsService } from '../../locations/locations.service';
import { TopicsService } from '../../topics/topics.service';
import { expandWeekly } from '../claim-series';
import { claimWindowErrors } from '../claim-window';
import { toClaimView } from '../claim-view';
import { ClaimsRepository } from '../claims.repository';
import type { CreateClaimDto, CreatedClaimsView } from '../dto/claim.dto';
import { ClaimQuotaCheck } from './claim-quota-check';

/**
 * POST /partners/{id}/claims: a partner's request for room-hours at a branch, one claim or a
 * weekly series (every claim of it `requested`, with a `requested` event). All or nothing: a
 * series any month of which breaks a quota is refused whole (422 quota-exceeded names the month).
 */
@Injectable()
export class RequestClaimsService {
  constructor(
    private readonly repo: ClaimsRepository,
    private readonly quota: ClaimQuotaCheck,
    private readonly locations: LocationsService,
    private readonly topics: TopicsService,
    private readonly clock: Clock,
  ) {}

  async request(caller: Principal, partnerId: string, dto: CreateClaimDto): Promise<CreatedClaimsView> {
    assertMayRequestClaimsFor(caller, partnerId);
    const partner = await this.repo.partner(partnerId);
    if (!partner) throw ProblemException.notFound('partner');
    if (!partner.active) throw new ProblemException('forbidden', 'The partner is not active; it cannot request claims.');
    const place = (await this.locations.summaries([dto.locationId])).get(dto.locationId);
    if (!place) throw ProblemException.validation('locationId', 'unknown-location', 'No location has this id.');
    if (!place.active) throw ProblemException.validation('locationId', 'location-inactive', 'This branch is not in use.');

    const start = parseInstant(dto.start)!;
    const end = parseInstant(dto.end)!;
    const now = this.clock.now();
    const sessionMinutes = dto.sessionMinutes ?? null;
    const bufferMinutes = dto.bufferMinutes ?? 0;
    const errors: FieldError[] = claimWindowErrors({ start, end, timeZone: place.timezone, now, mode: dto.mode, sessionMinutes, bufferMinutes });
    const advisorIds = [...new Set(dto.advisorIds)];
    const slugs = [...new Set(dto.topics)];
    const [roomLocation, advisors, topics] = await Promise.all([
      dto.roomId ? this.repo.roomLocation(dto.roomId) : undefined,
      this.repo.activeAdvisorsOf(partnerId, advisorIds),
      this.topics.findBySlugs(slugs),
    ]);
    if (dto.roomId && roomLocation !== dto.locationId) errors.push({ field: 'roomId', code: 'unknown-room', message: 'The branch has no room with this id.' });
    const strangers = advisorIds.filter((id) => !advisors.has(id));
    if (strangers.length) errors.push({ field: 'advisorIds', code: 'unknown-advisor', message: `Not an active advisor of this partner: ${strangers.join(', ')}.` });
    else if (dto.mode === 'bookable' && advisorIds.length === 0) errors.push({ field: 'advisorIds', code: 'required', message: 'A bookable claim names at least one advisor.' });
    const unknownTopics = slugs.filter((s) => !topics.get(s)?.active);
    if (unknownTopics.length) errors.push({ field: 'topics', code: 'unknown-topic', message: `No such topic: ${unknownTopics.join(', ')}.` });
    const until = dto.repeatWeeklyUntil ?? null;
    if (until !== null && parseIsoDate(until) === null) errors.push({ field: 'repeatWeeklyUntil', code: 'invalid-date', message: 'repeatWeeklyUntil is a date YYYY-MM-DD that exists.' });
    if (errors.length) throw new ProblemException('validation-failed', 'Some fields are missing or invalid.', errors);

    const series = expandWeekly({ start, end, timeZone: place.timezone, until });
    if (!series.ok) throw ProblemException.validation('repeatWeeklyUntil', series.code, series.message);

    const { seriesId, ids } = await this.repo.transaction(async (m) => {
      await this.repo.lockPartnerQuota(m, partnerId);
      await this.quota.assertWithin(m, { partnerId, locationId: place.id, times: series.times, counted: ['requested', 'approved'] });
      return this.repo.insertClaims(m, {
        partnerId,
        locationId: place.id,
        roomId: dto.roomId ?? null,
        mode: dto.mode,
        sessionMinutes,
        bufferMinutes,
        languages: [...new Set(dto.languages)],
        note: dto.note || null,
        topicIds: slugs.map((s) => topics.get(s)!.id),
        advisorIds,
        repeatWeeklyUntil: until,
        times: series.times,
        actorUserId: caller.id,
        now,
      });
    });
    return { seriesId, items: (await this.repo.findByIds(ids)).map(toClaimView) };
  }
}
