import { Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module';
import { TopicsModule } from '../topics/topics.module';
import { TutorsModule } from '../tutors/tutors.module';
import { SlotsController } from './slots.controller';
import { SearchProfiles } from './search-profiles';
import { SlotSearchRepository } from './slot-search.repository';
import { SlotsService } from './slots.service';

@Module({
  imports: [LocationsModule, TutorsModule, TopicsModule],
  controllers: [SlotsController],
  providers: [SlotsService, SlotSearchRepository, SearchProfiles],
  exports: [SlotsService],
})
export class SlotsModule {}
