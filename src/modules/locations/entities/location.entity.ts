import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface LocalizedName {
  fi: string;
  sv: string;
  en: string;
}

export interface Address {
  street: string;
  postalCode: string;
  city: string;
}

/** A library branch. Its booking policy lives in columns (CHECKed by PostgreSQL). */
@Entity('locations')
export class LocationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  slug: string;

  @Column('jsonb')
  name: LocalizedName;

  @Column('text', { name: 'municipality_code' })
  municipalityCode: string;

  @Column('jsonb')
  address: Address;

  @Column('text')
  timezone: string;

  @Column('jsonb', { nullable: true })
  accessibility: LocalizedName | null;

  @Column('boolean')
  active: boolean;

  @Column('integer', { name: 'min_notice_minutes' })
  minNoticeMinutes: number;

  @Column('integer', { name: 'max_days_ahead' })
  maxDaysAhead: number;

  @Column('integer', { name: 'cancel_until_minutes_before' })
  cancelUntilMinutesBefore: number;

  @Column('integer', { name: 'max_active_bookings_per_contact' })
  maxActiveBookingsPerContact: number;

  @Column('boolean', { name: 'share_contact_with_partners' })
  shareContactWithPartners: boolean;

  /** Bumped by hand in UPDATE … WHERE version = :seen (optimistic locking). */
  @Column('integer')
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
