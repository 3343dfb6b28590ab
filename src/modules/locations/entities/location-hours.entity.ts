import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A weekly-hours period (winter, summer…); periods of a location never overlap (EXCLUDE). */
@Entity('location_hour_periods')
export class LocationHourPeriodEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'location_id' })
  locationId: string;

  @Column('integer')
  position: number;

  @Column('date', { name: 'valid_from', nullable: true })
  validFrom: string | null;

  @Column('date', { name: 'valid_until', nullable: true })
  validUntil: string | null;
}

/** One opening interval of a weekday in a period, in minutes after local midnight. */
@Entity('location_hour_intervals')
export class LocationHourIntervalEntity {
  @PrimaryColumn('uuid', { name: 'period_id' })
  periodId: string;

  @PrimaryColumn('smallint')
  weekday: number;

  @PrimaryColumn('integer', { name: 'start_minute' })
  startMinute: number;

  @Column('integer', { name: 'end_minute' })
  endMinute: number;
}

/** A per-date exception; `hours` is `[["HH:mm","HH:mm"], …]` ([] = closed). */
@Entity('location_exceptions')
export class LocationExceptionEntity {
  @PrimaryColumn('uuid', { name: 'location_id' })
  locationId: string;

  @PrimaryColumn('date')
  date: string;

  @Column('jsonb')
  hours: [string, string][];

  @Column('jsonb', { nullable: true })
  reason: { fi: string; sv: string; en: string } | string | null;
}

/** A closure `[start, end)`; `during` is a tstzrange (read back as text, see TECH-NOTES). */
@Entity('location_closures')
export class LocationClosureEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'location_id' })
  locationId: string;

  @Column('tstzrange')
  during: string;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;
}

@Entity('location_rooms')
export class LocationRoomEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'location_id' })
  locationId: string;

  @Column('text')
  name: string;

  @Column('integer')
  capacity: number;
}
