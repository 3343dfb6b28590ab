import { Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module';
import { SlotsModule } from '../slots/slots.module';
import { TopicsModule } from '../topics/topics.module';
import { TutorsModule } from '../tutors/tutors.module';
import { BookingDeskService } from './booking-desk.service';
import { BookingsController } from './bookings.controller';
import { BookingsDataModule } from './bookings-data.module';
import { BookingsService } from './bookings.service';
import { ScheduleChangesModule } from './schedule-changed/schedule-changes.module';
import { AgendaController, StaffBookingsController } from './staff-bookings.controller';

/**
 * Booking lifecycle, manage tokens, idempotency keys and the .ics of a booking; the staff desk
 * (find, agenda, book on behalf, check-in … manage link). What schedule changes do to bookings
 * is ScheduleChangesModule (schedule-changed/), which provides the ports the locations and
 * tutors modules define.
 */
@Module({
  imports: [BookingsDataModule, ScheduleChangesModule, LocationsModule, TopicsModule, TutorsModule, SlotsModule],
  controllers: [BookingsController, StaffBookingsController, AgendaController],
  providers: [BookingsService, BookingDeskService],
  exports: [BookingsService],
})
export class BookingsModule {}
