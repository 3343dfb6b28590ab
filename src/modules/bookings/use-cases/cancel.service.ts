import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/time/clock';
import { toBookingView } from '../booking-view';
import { BookingsRepository } from '../bookings.repository';
import { BookingView, CancelBookingDto } from '../dto/booking.dto';
import { assertResidentMayChange } from './resident-change';
import { BookingPlaces } from './booking-places';
import { ManageLinkService } from './manage-link.service';

/**
 * The "cancel" use case of a resident (by manage token, until the branch's deadline). The desk
 * cancels through BookingDeskService's transitions; both, and the schedule-change cascade, write
 * with the one BookingsRepository.cancel.
 */
@Injectable()
export class CancelService {
  constructor(
    private readonly repo: BookingsRepository,
    private readonly clock: Clock,
    private readonly places: BookingPlaces,
    private readonly links: ManageLinkService,
  ) {}

  async byToken(token: string, dto: CancelBookingDto): Promise<BookingView> {
    const seen = await this.links.byToken(token);
    const place = await this.places.of(seen);
    await this.repo.transaction(async (m) => {
      const now = this.clock.now();
      const b = await this.links.byToken(token, m);
      assertResidentMayChange(b, place, now, 'cancel');
      await this.repo.cancel(m, { ids: [b.id], now, actorType: 'resident', actorUserId: null, reason: dto.reason || null });
    });
    return toBookingView((await this.repo.findById(seen.id))!, place);
  }
}
