import { Injectable } from '@nestjs/common';
import { assertCanSeeClaim } from '../../../common/access/claim-access';
import type { Principal } from '../../../common/auth/principal';
import { decodeCursor, Page, toPage } from '../../../common/http/pagination';
import { ProblemException } from '../../../common/problem/problem.exception';
import { formatIsoDate } from '../../../common/time/local-time';
import { LocationsService } from '../../locations/locations.service';
import { Bound, parseBound } from '../../slots/search-range';
import { CLAIM_STATUSES, ClaimStatus } from '../claim-transitions';
import { toClaimView } from '../claim-view';
import { ClaimListFilter, ClaimsRepository } from '../claims.repository';
import type { ClaimListQuery, ClaimView } from '../dto/claim.dto';

type Cursor = [string, string];
const isCursor = (v: unknown): v is Cursor =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string' && /^[0-9a-f-]{36}$/i.test(v[1]);

/** Reading claims: what the caller may see (common/access/claim-access.ts), and a branch's approved claims for its agenda. */
@Injectable()
export class FindClaimsService {
  constructor(
    private readonly repo: ClaimsRepository,
    private readonly locations: LocationsService,
  ) {}

  async list(caller: Principal, q: ClaimListQuery): Promise<Page<ClaimView>> {
    const limit = q.limit ?? 50;
    const rows = await this.repo.list({ ...(await this.filter(q)), caller, limit: limit + 1 });
    const page = toPage(rows, limit, (last) => [last.start.toISOString(), last.id] satisfies Cursor);
    return { items: page.items.map(toClaimView), nextCursor: page.nextCursor };
  }

  async get(caller: Principal, id: string): Promise<ClaimView> {
    return toClaimView(assertCanSeeClaim(caller, await this.repo.findById(id)));
  }

  /** The branch's approved claims starting in [from, to), by start (the agenda's claim items; the caller may see the agenda). */
  async approvedStartingAt(locationId: string, from: Date, to: Date): Promise<ClaimView[]> {
    return (await this.repo.approvedStartingAt(locationId, from, to)).map(toClaimView);
  }

  /** The query's filters, checked: bad statuses, dates and unknown branches are 422 naming the field. */
  private async filter(q: ClaimListQuery): Promise<Omit<ClaimListFilter, 'caller' | 'limit'>> {
    const from = q.from === undefined ? undefined : parseBound(q.from, 'from');
    const to = q.to === undefined ? undefined : parseBound(q.to, 'to');
    let statuses: ClaimStatus[] | undefined;
    if (q.status !== undefined) {
      const parts = q.status.split(',').map((s) => s.trim());
      if (parts.some((s) => !(CLAIM_STATUSES as readonly string[]).includes(s))) {
        throw ProblemException.validation('status', 'unknown-status', `status is one or more of ${CLAIM_STATUSES.join(', ')}, comma-separated.`);
      }
      statuses = parts as ClaimStatus[];
    }
    if (q.locationId && !(await this.locations.summaries([q.locationId])).has(q.locationId)) {
      throw ProblemException.validation('locationId', 'unknown-location', 'No location has this id.');
    }
    if (q.partnerId && !(await this.repo.partner(q.partnerId))) throw ProblemException.validation('partnerId', 'unknown-partner', 'No partner has this id.');
    const after = q.cursor ? decodeCursor(q.cursor, isCursor) : undefined;
    return { statuses, locationId: q.locationId, partnerId: q.partnerId, from: from && bound(from), to: to && bound(to), after: after && { start: new Date(after[0]), id: after[1] } };
  }
}

function bound(b: Bound): ClaimListFilter['from'] {
  return b.kind === 'date' ? { kind: 'date', date: formatIsoDate(b.day) } : { kind: 'instant', ms: b.ms };
}
