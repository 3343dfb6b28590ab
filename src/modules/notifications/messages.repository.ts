import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MessageScope, messageScopeSql } from '../../common/access/message-access';
import type { MessageStatus } from './dto/message.dto';

type Localized = { fi: string; sv: string; en: string };

/** A message the worker has claimed, with what its text needs. */
export interface ClaimedMessage {
  id: string;
  template: string;
  language: string;
  channel: 'email' | 'sms';
  recipientKind: 'resident' | 'user';
  recipient: string;
  params: Record<string, unknown>;
  /** This attempt's number (1 for the first). */
  attempt: number;
  /** The partner claim a message to a partner's users is about. */
  claimId: string | null;
  booking: {
    id: string;
    reference: string;
    start: Date;
    end: Date;
    status: string;
    sequence: number;
    updatedAt: Date;
    residentName: string;
    residentLanguage: 'fi' | 'sv' | 'en';
    manageTokenEncrypted: Buffer | null;
    topicName: Localized;
    tutorDisplayName: string;
    /** The partner whose advisory session this is (none for library tutoring). */
    partnerName: Localized | null;
  } | null;
  place: { name: Localized; address: { street: string; postalCode: string; city: string }; timeZone: string; accessibility: Partial<Localized> | null } | null;
}

interface ClaimedRow {
  id: string;
  template: string;
  language: string;
  channel: 'email' | 'sms';
  recipient_kind: 'resident' | 'user';
  recipient: string;
  params: Record<string, unknown>;
  attempts: number;
  booking_id: string | null;
  claim_id: string | null;
  reference: string;
  start: Date;
  end: Date;
  status: string;
  sequence: number;
  updated_at: Date;
  resident_name: string;
  resident_language: 'fi' | 'sv' | 'en';
  manage_token_encrypted: Buffer | null;
  topic_fi: string;
  topic_sv: string;
  topic_en: string;
  tutor_display_name: string;
  partner_name: Localized | null;
  location_name: Localized | null;
  address: { street: string; postalCode: string; city: string };
  timezone: string;
  accessibility: Partial<Localized> | null;
}

/** A message as staff see it in the list of deliveries. */
export interface MessageRecord {
  id: string;
  template: string;
  channel: 'email' | 'sms';
  recipientKind: 'resident' | 'user';
  status: MessageStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt: Date | null;
  bookingId: string | null;
  claimId: string | null;
  locationId: string | null;
  timeZone: string;
}

export interface MessageListFilter {
  scope: MessageScope;
  statuses: MessageStatus[];
  from?: Date;
  to?: Date;
  after?: { createdAt: Date; id: string };
  limit: number;
}

const MESSAGE_SELECT = `
  SELECT m.id, m.template, m.channel, m.recipient_kind AS "recipientKind", m.status, m.attempts, m.last_error AS "lastError",
         m.next_attempt_at AS "nextAttemptAt", m.created_at AS "createdAt", m.sent_at AS "sentAt", m.booking_id AS "bookingId",
         m.claim_id AS "claimId", m.location_id AS "locationId", coalesce(l.timezone, 'Europe/Helsinki') AS "timeZone"
  FROM messages m LEFT JOIN locations l ON l.id = m.location_id`;

/** The outbox's SQL: claiming due messages and recording what became of each attempt. */
@Injectable()
export class MessagesRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Takes up to `limit` messages due at `now` (queued, or failed and due for another try): each
   * attempt is counted and the message is left alone until `leaseUntil`, all committed before
   * anything is sent. A worker that dies after this leaves the message to be taken again then,
   * with the same id. SKIP LOCKED: workers claiming at once take different messages.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedMessage[]> {
    const rows: ClaimedRow[] = await this.db.query(
      `WITH due AS (
         SELECT id FROM messages WHERE status IN ('queued', 'failed') AND next_attempt_at <= $1
         ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE messages m SET attempts = m.attempts + 1, next_attempt_at = $2 FROM due WHERE m.id = due.id
         RETURNING m.id, m.template, m.language, m.channel, m.recipient_kind, m.recipient, m.params, m.attempts, m.booking_id, m.claim_id, m.next_attempt_at)
       SELECT c.id, c.template, c.language, c.channel, c.recipient_kind, c.recipient, c.params, c.attempts, c.booking_id, cl.id AS claim_id,
              b.reference, lower(b.during) AS start, upper(b.during) AS "end", b.status, b.sequence, b.updated_at,
              b.resident_name, b.resident_language, b.manage_token_encrypted,
              tp.name_fi AS topic_fi, tp.name_sv AS topic_sv, tp.name_en AS topic_en, t.display_name AS tutor_display_name,
              CASE WHEN pa.id IS NULL THEN NULL ELSE json_build_object('fi', pa.name_fi, 'sv', pa.name_sv, 'en', pa.name_en) END AS partner_name,
              l.name AS location_name, l.address, l.timezone, l.accessibility
       FROM claimed c
       LEFT JOIN bookings b ON b.id = c.booking_id
       LEFT JOIN tutors t ON t.id = b.tutor_id
       LEFT JOIN topics tp ON tp.id = b.topic_id
       LEFT JOIN partners pa ON pa.id = b.partner_id
       LEFT JOIN claims cl ON cl.id = c.claim_id
       LEFT JOIN locations l ON l.id = coalesce(b.location_id, cl.location_id)
       ORDER BY c.next_attempt_at, c.id`,
      [now, leaseUntil, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      template: r.template,
      language: r.language,
      channel: r.channel,
      recipientKind: r.recipient_kind,
      recipient: r.recipient,
      params: r.params,
      attempt: r.attempts,
      claimId: r.claim_id,
      booking: r.booking_id
        ? {
            id: r.booking_id,
            reference: r.reference,
            start: r.start,
            end: r.end,
            status: r.status,
            sequence: r.sequence,
            updatedAt: r.updated_at,
            residentName: r.resident_name,
            residentLanguage: r.resident_language,
            manageTokenEncrypted: r.manage_token_encrypted,
            topicName: { fi: r.topic_fi, sv: r.topic_sv, en: r.topic_en },
            tutorDisplayName: r.tutor_display_name,
            partnerName: r.partner_name,
          }
        : null,
      place: r.location_name ? { name: r.location_name, address: r.address, timeZone: r.timezone, accessibility: r.accessibility } : null,
    }));
  }

  /** Claimed messages not tried after all: due again at `now`, the attempt not counted. */
  async release(messages: Pick<ClaimedMessage, 'id' | 'attempt'>[], now: Date): Promise<void> {
    await this.db.query(
      `UPDATE messages m SET attempts = m.attempts - 1, next_attempt_at = $3
       FROM unnest($1::uuid[], $2::int[]) AS r(id, attempt)
       WHERE m.id = r.id AND m.attempts = r.attempt AND m.status IN ('queued', 'failed')`,
      [messages.map((m) => m.id), messages.map((m) => m.attempt), now],
    );
  }

  /** The attempt succeeded; false when the message was meanwhile taken by another attempt. */
  async markSent(id: string, attempt: number, now: Date): Promise<boolean> {
    return this.finish(`status = 'sent', sent_at = $3, last_error = NULL`, [id, attempt, now]);
  }

  /** The attempt failed: tried again at `retryAt`, or dead-lettered when it was the last allowed. */
  async markFailed(id: string, attempt: number, error: string, retryAt: Date, maxAttempts: number): Promise<'failed' | 'dead'> {
    const rows: { status: 'failed' | 'dead' }[] = await this.db.query(
      `WITH changed AS (
         UPDATE messages SET status = CASE WHEN attempts >= $5 THEN 'dead' ELSE 'failed' END, last_error = $3, next_attempt_at = $4
         WHERE id = $1 AND attempts = $2 AND status IN ('queued', 'failed') RETURNING status)
       SELECT status FROM changed`,
      [id, attempt, error, retryAt, maxAttempts],
    );
    return rows[0]?.status ?? 'failed';
  }

  /** Nothing to send any more (a reminder of a booking no longer on). */
  async markCancelled(id: string, attempt: number): Promise<boolean> {
    return this.finish(`status = 'cancelled'`, [id, attempt]);
  }

  /** Messages in the scope with these statuses, newest first (then id), at most `limit`. */
  async list(f: MessageListFilter): Promise<MessageRecord[]> {
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where = [`m.status = ANY(${p(f.statuses)}::text[])`];
    const visible = messageScopeSql(f.scope, p);
    if (visible) where.push(visible);
    if (f.from) where.push(`m.created_at >= ${p(f.from)}`);
    if (f.to) where.push(`m.created_at < ${p(f.to)}`);
    if (f.after) where.push(`(m.created_at, m.id) < (${p(f.after.createdAt)}::timestamptz, ${p(f.after.id)}::uuid)`);
    return this.db.query(`${MESSAGE_SELECT} WHERE ${where.join(' AND ')} ORDER BY m.created_at DESC, m.id DESC LIMIT ${p(f.limit)}`, params);
  }

  async findById(id: string): Promise<MessageRecord | undefined> {
    const rows: MessageRecord[] = await this.db.query(`${MESSAGE_SELECT} WHERE m.id = $1`, [id]);
    return rows[0];
  }

  /** A dead or failed message queued again with a full set of attempts; false when it is in another state. */
  async requeue(id: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `WITH changed AS (UPDATE messages SET status = 'queued', attempts = 0, next_attempt_at = $2 WHERE id = $1 AND status IN ('dead', 'failed') RETURNING id)
       SELECT id FROM changed`,
      [id, now],
    );
    return rows.length === 1;
  }

  /** Deletes messages that are done (sent, cancelled, dead) and were created before `before`, in batches; how many went. */
  async purgeFinished(before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.db.query(
        `DELETE FROM messages WHERE id = ANY (ARRAY(
           SELECT id FROM messages WHERE status IN ('sent', 'cancelled', 'dead') AND created_at < $1 LIMIT 1000 FOR UPDATE SKIP LOCKED))`,
        [before],
      )) as [unknown, number];
      total += deleted;
      if (deleted < 1000) return total;
    }
  }

  private async finish(set: string, params: unknown[]): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `WITH changed AS (UPDATE messages SET ${set} WHERE id = $1 AND attempts = $2 AND status IN ('queued', 'failed') RETURNING id) SELECT id FROM changed`,
      params,
    );
    return rows.length === 1;
  }
}
