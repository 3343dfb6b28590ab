import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { LocationsModule } from '../locations/locations.module';
import { SlotsModule } from '../slots/slots.module';
import { TopicsModule } from '../topics/topics.module';
import { ResidentGateway } from './resident-gateway';
import { ResidentPages } from './resident-pages.service';
import { WebController } from './web.controller';

/** The residents' server-rendered pages (fi/sv/en) on top of the public services. */
@Module({
  imports: [TopicsModule, LocationsModule, SlotsModule, BookingsModule],
  controllers: [WebController],
  providers: [ResidentGateway, ResidentPages],
})
export class WebModule {}
