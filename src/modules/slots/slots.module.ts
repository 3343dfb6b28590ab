import { Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module';
import { TopicsModule } from '../topics/topics.module';
import { TutorsModule } from '../tutors/tutors.module';
import { SlotsController } from './slots.controller';
import { SearchSnapshots } from './search-snapshot';
import { SlotSearchRepository } from './slot-search.repository';
import { SlotsService } from './slots.service';

@Module({
  imports: [LocationsModule, TutorsModule, TopicsModule],
  controllers: [SlotsController],
  providers: [SlotsService, SlotSearchRepository, SearchSnapshots],
  exports: [SlotsService],
})
export class SlotsModule {}
