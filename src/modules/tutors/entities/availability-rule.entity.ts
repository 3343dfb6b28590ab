import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A weekly rule in local minutes after midnight; see the TopicsTutors migration for the constraints. */
@Entity('availability_rules')
export class AvailabilityRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tutor_id' })
  tutorId: string;

  @Column('uuid', { name: 'location_id' })
  locationId: string;

  @Column('smallint')
  weekday: number;

  @Column('integer', { name: 'start_minute' })
  startMinute: number;

  @Column('integer', { name: 'end_minute' })
  endMinute: number;

  @Column('integer', { name: 'session_minutes' })
  sessionMinutes: number;

  @Column('integer', { name: 'buffer_minutes' })
  bufferMinutes: number;

  @Column('date', { name: 'valid_from' })
  validFrom: string;

  @Column('date', { name: 'valid_until', nullable: true })
  validUntil: string | null;
}
