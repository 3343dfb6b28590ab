import { Module } from '@nestjs/common';
import { AffectedBookingsService } from './affected-bookings.service';

/**
 * Bookings hit by closures, absences and availability changes (and the cancelling cascade).
 * Imports nothing, so LocationsModule and TutorsModule import it without a cycle with
 * BookingsModule (which imports them through SlotsModule).
 */
@Module({
  providers: [AffectedBookingsService],
  exports: [AffectedBookingsService],
})
export class AffectedBookingsModule {}
