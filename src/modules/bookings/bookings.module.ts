import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module';
import { LocationsModule } from '../locations/locations.module';
import { SlotsModule } from '../slots/slots.module';
import { TopicsModule } from '../topics/topics.module';
import { TutorsModule } from '../tutors/tutors.module';
import { BookingsController } from './bookings.controller';
import { BookingsDataModule } from './bookings-data.module';
import { PartnerBookingsController } from './partner-bookings.controller';
import { ScheduleChangesModule } from './schedule-changed/schedule-changes.module';
import { AgendaController, StaffBookingsController } from './staff-bookings.controller';
import { BookService } from './use-cases/book.service';
import { BookingDeskService } from './use-cases/booking-desk.service';
import { BookingPlaces } from './use-cases/booking-places';
import { CancelService } from './use-cases/cancel.service';
import { LostLinkService } from './use-cases/lost-link.service';
import { ManageLinkService } from './use-cases/manage-link.service';
import { RescheduleService } from './use-cases/reschedule.service';
import { WhyNotService } from './use-cases/why-not.service';

/**
 * Bookings: pure rules (rules/), one use case per service (use-cases/: book, reschedule,
 * cancel, the desk's transitions, the manage link, why a time is refused), one repository for
 * every read and write of bookings and booking_events (bookings.repository.ts, in
 * BookingsDataModule), and what schedule changes do to bookings (schedule-changed/, providing
 * the ports the locations and tutors modules define). The resident use cases are exported for
 * the resident pages.
 */
@Module({
  imports: [BookingsDataModule, ScheduleChangesModule, ClaimsModule, LocationsModule, TopicsModule, TutorsModule, SlotsModule],
  controllers: [BookingsController, StaffBookingsController, AgendaController, PartnerBookingsController],
  providers: [BookService, RescheduleService, CancelService, ManageLinkService, LostLinkService, BookingDeskService, BookingPlaces, WhyNotService],
  exports: [BookService, RescheduleService, CancelService, ManageLinkService, LostLinkService],
})
export class BookingsModule {}
