import { Injectable } from '@nestjs/common';
import { LocationsService, LocationSummary } from '../../locations/locations.service';
import type { BookingRecord } from '../bookings.repository';

/** The branch of a booking, as its views and rules need it (name, address, zone, policy). */
@Injectable()
export class BookingPlaces {
  constructor(private readonly locations: LocationsService) {}

  async of(b: BookingRecord): Promise<LocationSummary> {
    const place = (await this.locations.summaries([b.locationId])).get(b.locationId);
    if (!place) throw new Error(`Booking ${b.id} names a location that does not exist`);
    return place;
  }

  /** The branches of many bookings, by id. */
  ofAll(rows: BookingRecord[]): Promise<Map<string, LocationSummary>> {
    return this.locations.summaries([...new Set(rows.map((b) => b.locationId))]);
  }
}
