import { Module } from '@nestjs/common';
import { LocationsController, MunicipalitiesController } from './locations.controller';
import { LocationsRepository } from './locations.repository';
import { LocationsService } from './locations.service';
import { ScheduleController } from './schedule.controller';
import { ScheduleService } from './schedule.service';

/** Branches, municipalities, opening hours (weekly, exceptions, Finnish holidays, closures), rooms.
 * ScheduleService injects CLOSURE_BOOKINGS (closure-bookings.port.ts), which the bookings module provides.
 */
@Module({
  controllers: [LocationsController, MunicipalitiesController, ScheduleController],
  providers: [LocationsRepository, LocationsService, ScheduleService],
  exports: [LocationsService],
})
export class LocationsModule {}
