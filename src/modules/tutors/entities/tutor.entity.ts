import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export const TUTOR_KINDS = ['staff', 'volunteer', 'advisor'] as const;
export type TutorKind = (typeof TUTOR_KINDS)[number];

@Entity('tutors')
export class TutorEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'display_name' })
  displayName: string;

  @Column('text')
  kind: TutorKind;

  /** A plain id until the partners module owns partners (then a foreign key). */
  @Column('uuid', { name: 'partner_id', nullable: true })
  partnerId: string | null;

  @Column('text', { nullable: true })
  email: string | null;

  @Column('text', { nullable: true })
  phone: string | null;

  @Column('text', { array: true })
  languages: string[];

  @Column('boolean', { default: true })
  active: boolean;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
