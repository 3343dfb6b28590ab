import { Foundation1763900000000 } from '../../migrations/1763900000000-Foundation';
import { Locations1763900001000 } from '../../migrations/1763900001000-Locations';
import { TopicsTutors1763900002000 } from '../../migrations/1763900002000-TopicsTutors';
import { Bookings1763900003000 } from '../../migrations/1763900003000-Bookings';
import { SearchIndexes1763900005000 } from '../../migrations/1763900005000-SearchIndexes';
import { PlaceBooking1763900006000 } from '../../migrations/1763900006000-PlaceBooking';
import { PlaceBookingWithoutPurge1763900007000 } from '../../migrations/1763900007000-PlaceBookingWithoutPurge';
import { PlaceBookings1763900008000 } from '../../migrations/1763900008000-PlaceBookings';
import { BatchWrites1763900009000 } from '../../migrations/1763900009000-BatchWrites';
import { PlaceBookingDeadlockRetry1763900010000 } from '../../migrations/1763900010000-PlaceBookingDeadlockRetry';
import { DecideBookingFewerStatements1763900011000 } from '../../migrations/1763900011000-DecideBookingFewerStatements';
import { ActiveBookings1763900012000 } from '../../migrations/1763900012000-ActiveBookings';
import { SqlSources1763900012100 } from '../../migrations/1763900012100-SqlSources';
import { TutorAbsentEvent1763900021000 } from '../../migrations/1763900021000-TutorAbsentEvent';
import { TopicDescriptions1763900030000 } from '../../migrations/1763900030000-TopicDescriptions';
import { PartnersClaims1763900040000 } from '../../migrations/1763900040000-PartnersClaims';
import { BookingsByClaim1763900042000 } from '../../migrations/1763900042000-BookingsByClaim';
import { Notifications1763900044000 } from '../../migrations/1763900044000-Notifications';
import { ManageTokenErasure1763900046000 } from '../../migrations/1763900046000-ManageTokenErasure';
import { LongBookingsIndex1763900048000 } from '../../migrations/1763900048000-LongBookingsIndex';

/**
 * Every migration, in order. Listed by hand so the app, the CLI and the tests run the same set.
 * Migrations change the schema only; functions and triggers are SQL sources (sql-sources.ts).
 */
export const MIGRATIONS = [Foundation1763900000000, Locations1763900001000, TopicsTutors1763900002000, Bookings1763900003000, SearchIndexes1763900005000, PlaceBooking1763900006000, PlaceBookingWithoutPurge1763900007000, PlaceBookings1763900008000, BatchWrites1763900009000, PlaceBookingDeadlockRetry1763900010000, DecideBookingFewerStatements1763900011000, ActiveBookings1763900012000, SqlSources1763900012100, TutorAbsentEvent1763900021000, TopicDescriptions1763900030000, PartnersClaims1763900040000, BookingsByClaim1763900042000, Notifications1763900044000, ManageTokenErasure1763900046000, LongBookingsIndex1763900048000];
