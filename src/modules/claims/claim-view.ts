import { formatInstant } from '../../common/time/format';
import type { ClaimView } from './dto/claim.dto';
import type { ClaimRecord } from './claims.repository';

/** API.md's claim: instants in the branch's offset, as bookings are shown. */
export function toClaimView(c: ClaimRecord): ClaimView {
  const at = (d: Date) => formatInstant(d, c.timeZone);
  return {
    id: c.id,
    seriesId: c.seriesId,
    partnerId: c.partnerId,
    partnerName: c.partnerName,
    locationId: c.locationId,
    roomId: c.roomId,
    start: at(c.start),
    end: at(c.end),
    mode: c.mode,
    sessionMinutes: c.sessionMinutes,
    bufferMinutes: c.bufferMinutes,
    advisorIds: c.advisorIds,
    topics: c.topics,
    languages: c.languages,
    note: c.note,
    status: c.status,
    statusReason: c.statusReason,
    requestedBy: c.requestedBy,
    requestedAt: at(c.requestedAt),
    statusChangedBy: c.statusChangedBy,
    statusChangedAt: c.statusChangedAt && at(c.statusChangedAt),
    version: c.version,
  };
}
