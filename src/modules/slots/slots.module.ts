import { Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module';
import { TopicsModule } from '../topics/topics.module';
import { TutorsModule } from '../tutors/tutors.module';
import { SlotsController } from './slots.controller';
import { SearchSnapshots } from './search-snapshot';
import { SlotSearchRepository } from './slot-search.repository';
import { SlotsService } from './slots.service';
import { BookableSlotsService } from './bookable-slots.service';

/** Slot search for residents (SlotsService) and what a booking may take (BookableSlotsService, for the bookings module). */
@Module({
  imports: [LocationsModule, TutorsModule, TopicsModule],
  controllers: [SlotsController],
  providers: [SlotsService, BookableSlotsService, SlotSearchRepository, SearchSnapshots],
  exports: [BookableSlotsService],
})
export class SlotsModule {}
