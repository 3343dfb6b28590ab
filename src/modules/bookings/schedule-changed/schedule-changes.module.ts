import { Global, Module } from '@nestjs/common';
import { CLOSURE_BOOKINGS } from '../../locations/closure-bookings.port';
import { TUTOR_SCHEDULE_BOOKINGS } from '../../tutors/tutor-schedule-bookings.port';
import { BookingsDataModule } from '../bookings-data.module';
import { ScheduleChangedService } from './schedule-changed.service';

/**
 * The bookings module's side of the schedule-change ports: LocationsModule and TutorsModule
 * inject CLOSURE_BOOKINGS and TUTOR_SCHEDULE_BOOKINGS without importing anything of bookings
 * (global, so no import arrow points from them back up to bookings).
 */
@Global()
@Module({
  imports: [BookingsDataModule],
  providers: [
    ScheduleChangedService,
    { provide: CLOSURE_BOOKINGS, useExisting: ScheduleChangedService },
    { provide: TUTOR_SCHEDULE_BOOKINGS, useExisting: ScheduleChangedService },
  ],
  exports: [CLOSURE_BOOKINGS, TUTOR_SCHEDULE_BOOKINGS],
})
export class ScheduleChangesModule {}
