import { Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module';
import { SlotsModule } from '../slots/slots.module';
import { TopicsModule } from '../topics/topics.module';
import { TutorsModule } from '../tutors/tutors.module';
import { BookingDeskService } from './booking-desk.service';
import { BookingsController } from './bookings.controller';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { AgendaController, StaffBookingsController } from './staff-bookings.controller';

/**
 * Booking lifecycle, manage tokens, idempotency keys and the .ics of a booking; the staff desk
 * (find, agenda, book on behalf, check-in … manage link). What schedule changes do to bookings
 * is the AffectedBookingsModule (affected/), which locations and tutors import.
 */
@Module({
  imports: [LocationsModule, TopicsModule, TutorsModule, SlotsModule],
  controllers: [BookingsController, StaffBookingsController, AgendaController],
  providers: [BookingsRepository, BookingsService, BookingDeskService],
  exports: [BookingsService],
})
export class BookingsModule {}
