import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ProblemException } from '../../../common/problem/problem.exception';
import { readQuotaLimits } from '../../partners/quotas.repository';
import type { ClaimStatus } from '../claim-transitions';
import { minutesByMonth, quotaBreach } from '../claim-quota';
import { ClaimsRepository } from '../claims.repository';

/**
 * The partner's monthly quotas (API.md), checked in the caller's transaction after
 * ClaimsRepository.lockPartnerQuota: at request, the partner's requested and approved claims
 * count; at approval, its approved ones (others may have been approved meanwhile, or the quota
 * lowered). Each calendar month the claims start in is checked on its own.
 */
@Injectable()
export class ClaimQuotaCheck {
  constructor(private readonly repo: ClaimsRepository) {}

  /** 422 quota-exceeded (limit, used, asked in hours; scope and month) for the first month and quota these claims would break. */
  async assertWithin(
    m: EntityManager,
    q: { partnerId: string; locationId: string; times: readonly { start: Date; end: Date }[]; counted: ClaimStatus[]; exceptId?: string },
  ): Promise<void> {
    const limits = await readQuotaLimits(m, q.partnerId, q.locationId);
    if (limits.partner === null && limits.location === null) return;
    for (const [month, asked] of minutesByMonth(q.times)) {
      const usedMinutes = await this.repo.usedMinutes(m, { partnerId: q.partnerId, locationId: q.locationId, from: asked.from, to: asked.to, statuses: q.counted, exceptId: q.exceptId });
      const breach = quotaBreach({ month, limits, usedMinutes, askedMinutes: asked.minutes });
      if (breach) {
        const where = breach.scope === 'partner' ? 'partner-wide' : 'at this branch';
        throw new ProblemException(
          'quota-exceeded',
          `The partner's quota ${where} is ${breach.limit} h in ${month}; ${breach.used} h are used and ${breach.asked} h asked.`,
          undefined,
          undefined,
          { ...breach },
        );
      }
    }
  }
}
