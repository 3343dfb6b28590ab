import { Module } from '@nestjs/common';
import { AffectedBookingsModule } from '../bookings/affected/affected-bookings.module';
import { LocationsController, MunicipalitiesController } from './locations.controller';
import { LocationsRepository } from './locations.repository';
import { LocationsService } from './locations.service';
import { ScheduleController } from './schedule.controller';
import { ScheduleService } from './schedule.service';

/** Branches, municipalities, opening hours (weekly, exceptions, Finnish holidays, closures), rooms. */
@Module({
  imports: [AffectedBookingsModule],
  controllers: [LocationsController, MunicipalitiesController, ScheduleController],
  providers: [LocationsRepository, LocationsService, ScheduleService],
  exports: [LocationsService],
})
export class LocationsModule {}
