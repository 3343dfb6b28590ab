import { UserEntity } from '../modules/users/entities/user.entity';
import { BookingEntity, BookingEventEntity, IdempotencyKeyEntity } from '../modules/bookings/entities/booking.entity';
import { LocationEntity } from '../modules/locations/entities/location.entity';
import {
  LocationClosureEntity,
  LocationExceptionEntity,
  LocationHourIntervalEntity,
  LocationHourPeriodEntity,
  LocationRoomEntity,
} from '../modules/locations/entities/location-hours.entity';
import { MunicipalityEntity } from '../modules/locations/entities/municipality.entity';
import { TopicEntity } from '../modules/topics/entities/topic.entity';
import { AvailabilityRuleEntity } from '../modules/tutors/entities/availability-rule.entity';
import { TutorAbsenceEntity } from '../modules/tutors/entities/tutor-absence.entity';
import { TutorLocationEntity } from '../modules/tutors/entities/tutor-location.entity';
import { TutorTopicEntity } from '../modules/tutors/entities/tutor-topic.entity';
import { TutorEntity } from '../modules/tutors/entities/tutor.entity';

/** Every entity; one list for the app, the migration CLI and the tests. */
export const ENTITIES = [
  UserEntity,
  MunicipalityEntity,
  LocationEntity,
  LocationHourPeriodEntity,
  LocationHourIntervalEntity,
  LocationExceptionEntity,
  LocationClosureEntity,
  LocationRoomEntity,
  TopicEntity,
  TutorEntity,
  TutorLocationEntity,
  TutorTopicEntity,
  AvailabilityRuleEntity,
  TutorAbsenceEntity,
  BookingEntity,
  BookingEventEntity,
  IdempotencyKeyEntity,
];
