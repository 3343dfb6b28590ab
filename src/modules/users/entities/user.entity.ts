import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Role } from '../../../common/auth/principal';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text', { name: 'password_hash' })
  passwordHash: string;

  @Column('text')
  role: Role;

  @Column('uuid', { name: 'location_ids', array: true, default: () => `'{}'` })
  locationIds: string[];

  @Column('uuid', { name: 'tutor_id', nullable: true })
  tutorId: string | null;

  @Column('uuid', { name: 'partner_id', nullable: true })
  partnerId: string | null;

  @Column('boolean', { default: true })
  active: boolean;

  /** Whether the account receives e-mails about sessions (a tutor's bookings, a branch's absences). */
  @Column('boolean', { default: true })
  notify: boolean;

  @Column('integer', { name: 'token_generation', default: 0 })
  tokenGeneration: number;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
