import type { LocationView } from './dto/location.dto';
import type { LocationRow } from './locations.repository';

export function toLocationView(r: LocationRow): LocationView {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    municipality: { code: r.municipality_code, name: { fi: r.municipality_fi, sv: r.municipality_sv } },
    address: r.address,
    timezone: r.timezone,
    accessibility: r.accessibility,
    active: r.active,
    policy: {
      minNoticeMinutes: r.min_notice_minutes,
      maxDaysAhead: r.max_days_ahead,
      cancelUntilMinutesBefore: r.cancel_until_minutes_before,
      maxActiveBookingsPerContact: r.max_active_bookings_per_contact,
      shareContactWithPartners: r.share_contact_with_partners,
      reminders: r.reminders.map((x) => ({ hoursBefore: x.hoursBefore, channel: x.channel })),
    },
    version: r.version,
  };
}
