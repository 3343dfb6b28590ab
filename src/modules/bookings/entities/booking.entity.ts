import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { BookingStatus } from '../rules/booking-status';

/**
 * A booking (migrations/1763900003000-Bookings.ts). The module writes it with SQL of its own
 * (BookingsRepository): the exclusion constraint on (tutor_id, during) is the guard against
 * double booking, and `during` is a tstzrange TypeORM reads as text.
 */
@Entity('bookings')
export class BookingEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') reference: string;
  @Column('uuid', { name: 'location_id' }) locationId: string;
  @Column('uuid', { name: 'tutor_id' }) tutorId: string;
  @Column('uuid', { name: 'topic_id' }) topicId: string;
  @Column('text') language: string;
  @Column('text') kind: 'tutoring' | 'advisory';
  @Column('uuid', { name: 'partner_id', nullable: true }) partnerId: string | null;
  @Column('uuid', { name: 'claim_id', nullable: true }) claimId: string | null;
  /** `[start, end)` as PostgreSQL writes it, e.g. `["2027-01-11 08:00:00+00","2027-01-11 08:45:00+00")`. */
  @Column('tstzrange') during: string;
  @Column('text') status: BookingStatus;
  @Column('text') channel: 'web' | 'phone' | 'walk-in';
  @Column('text', { name: 'resident_name' }) residentName: string;
  @Column('text', { name: 'resident_phone', nullable: true }) residentPhone: string | null;
  @Column('text', { name: 'resident_email', nullable: true }) residentEmail: string | null;
  @Column('text', { name: 'resident_language' }) residentLanguage: 'fi' | 'sv' | 'en';
  @Column('text', { nullable: true }) notes: string | null;
  @Column('jsonb', { nullable: true }) outcome: unknown;
  @Column('bytea', { name: 'manage_token_hash', nullable: true, select: false }) manageTokenHash: Buffer | null;
  @Column('integer') sequence: number;
  @Column('integer') version: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** One transition of a booking: who, when, why, and the times before and after. */
@Entity('booking_events')
export class BookingEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'booking_id' }) bookingId: string;
  @Column('text') type: 'created' | 'rescheduled' | 'cancelled' | 'checked_in' | 'completed' | 'no_show' | 'manage_link_renewed';
  @Column('timestamptz') at: Date;
  @Column('text', { name: 'actor_type' }) actorType: 'resident' | 'user' | 'system';
  @Column('uuid', { name: 'actor_user_id', nullable: true }) actorUserId: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('jsonb') payload: Record<string, unknown>;
}

/** A stored response for an Idempotency-Key (encrypted: it holds a manage token), kept 24 h. */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn('text') key: string;
  @Column('bytea', { name: 'request_hash' }) requestHash: Buffer;
  @Column('integer', { name: 'status_code' }) statusCode: number;
  @Column('bytea', { name: 'response_encrypted', select: false }) responseEncrypted: Buffer;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
