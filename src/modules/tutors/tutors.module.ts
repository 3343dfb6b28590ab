import { Module } from '@nestjs/common';
import { TopicsModule } from '../topics/topics.module';
import { AbsencesController } from './absences.controller';
import { AbsencesService } from './absences.service';
import { AvailabilityController } from './availability.controller';
import { AvailabilityService } from './availability.service';
import { TutorsController } from './tutors.controller';
import { TutorsRepository } from './tutors.repository';
import { TutorsService } from './tutors.service';

/**
 * Tutors, their branches, weekly availability rules and absences. Absences and rules changes
 * inject TUTOR_SCHEDULE_BOOKINGS (tutor-schedule-bookings.port.ts), which the bookings module provides.
 */
@Module({
  imports: [TopicsModule],
  controllers: [TutorsController, AvailabilityController, AbsencesController],
  providers: [TutorsService, TutorsRepository, AvailabilityService, AbsencesService],
  exports: [TutorsService],
})
export class TutorsModule {}
