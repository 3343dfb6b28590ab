import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A tutor works at a branch. Rules at the branch hang off this row. */
@Entity('tutor_locations')
export class TutorLocationEntity {
  @PrimaryColumn('uuid', { name: 'tutor_id' })
  tutorId: string;

  @PrimaryColumn('uuid', { name: 'location_id' })
  locationId: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
