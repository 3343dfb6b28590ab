import { Global, Module } from '@nestjs/common';
import { CLAIM_BOOKINGS } from '../../claims/claim-bookings.port';
import { CLOSURE_BOOKINGS } from '../../locations/closure-bookings.port';
import { TUTOR_SCHEDULE_BOOKINGS } from '../../tutors/tutor-schedule-bookings.port';
import { BookingsDataModule } from '../bookings-data.module';
import { ScheduleChangedService } from './schedule-changed.service';

/**
 * The bookings module's side of the schedule-change ports: LocationsModule, TutorsModule and
 * ClaimsModule inject CLOSURE_BOOKINGS, TUTOR_SCHEDULE_BOOKINGS and CLAIM_BOOKINGS without
 * importing anything of bookings (global, so no import arrow points from them back up to
 * bookings).
 */
@Global()
@Module({
  imports: [BookingsDataModule],
  providers: [
    ScheduleChangedService,
    { provide: CLOSURE_BOOKINGS, useExisting: ScheduleChangedService },
    { provide: TUTOR_SCHEDULE_BOOKINGS, useExisting: ScheduleChangedService },
    { provide: CLAIM_BOOKINGS, useExisting: ScheduleChangedService },
  ],
  exports: [CLOSURE_BOOKINGS, TUTOR_SCHEDULE_BOOKINGS, CLAIM_BOOKINGS],
})
export class ScheduleChangesModule {}
