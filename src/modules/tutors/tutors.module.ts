import { Module } from '@nestjs/common';
import { AffectedBookingsModule } from '../bookings/affected/affected-bookings.module';
import { TopicsModule } from '../topics/topics.module';
import { AbsencesController } from './absences.controller';
import { AbsencesService } from './absences.service';
import { AvailabilityController } from './availability.controller';
import { AvailabilityService } from './availability.service';
import { TutorsController } from './tutors.controller';
import { TutorsRepository } from './tutors.repository';
import { TutorsService } from './tutors.service';

@Module({
  imports: [TopicsModule, AffectedBookingsModule],
  controllers: [TutorsController, AvailabilityController, AbsencesController],
  providers: [TutorsService, TutorsRepository, AvailabilityService, AbsencesService],
  exports: [TutorsService],
})
export class TutorsModule {}
