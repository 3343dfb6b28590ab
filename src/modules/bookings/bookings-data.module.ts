import { Module } from '@nestjs/common';
import { BookingsRepository } from './bookings.repository';

/** The one BookingsRepository (and its booking writer), shared by BookingsModule and ScheduleChangesModule. */
@Module({
  providers: [BookingsRepository],
  exports: [BookingsRepository],
})
export class BookingsDataModule {}
