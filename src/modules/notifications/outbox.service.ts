import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { AppConfig, APP_CONFIG } from '../../config/app-config';
import { icsBookingOf, IcsInvitation, renderBookingIcs } from '../bookings/booking-ics';
import { BookingSecrets } from '../bookings/secrets';
import { CLAIM_LEASE_MS, FINISHED_MESSAGE_RETENTION_MS, retryDelayMs, safeError } from './delivery-rules';
import { ClaimedMessage, MessagesRepository } from './messages.repository';
import { renderMessage } from './templates/render';
import { MailSender, SMTP_CONNECTIONS } from './transports/mail-sender';
import { SmsSender, smsSenderFor } from './transports/sms-sender';

export interface DeliveryResult {
  sent: number;
  failed: number;
  dead: number;
  cancelled: number;
}

/** Messages whose text comes with the booking's calendar file. */
const WITH_CALENDAR = new Set(['booking-confirmed', 'booking-rescheduled', 'booking-cancelled', 'booking-reminder', 'manage-link']);
const BATCH = 200;
/** Sends in flight at once: two per SMTP connection, so a connection never idles while the next message is rendered. */
const IN_FLIGHT = 2 * SMTP_CONNECTIONS;

/**
 * Delivers the outbox (`messages`, written by the triggers on booking events): claims what is
 * due (the attempt is committed before anything is sent), renders it in the recipient's language
 * and sends it, then records the outcome. A failure is tried again later with growing waits and
 * dead-lettered after TUKIAIKA_MESSAGE_ATTEMPTS attempts with its (address-free) error. A worker
 * that dies between sending and recording leaves the message to be sent again when its claim
 * runs out, with the same Message-ID / SMS id: at least once, never lost.
 *
 * `deliverDue` is what the job worker runs; tests call it with their clock.
 */
@Injectable()
export class Outbox implements OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private readonly secrets: BookingSecrets;
  private readonly publicUrl: string;
  readonly mail: MailSender;
  readonly sms: SmsSender;
  private running?: Promise<DeliveryResult>;
  private again = false;

  constructor(
    private readonly repo: MessagesRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.secrets = new BookingSecrets(config.auth.secret);
    this.publicUrl = config.server.publicUrl ?? `http://${config.server.host}:${config.server.port}`;
    this.mail = new MailSender(config.notifications);
    this.sms = smsSenderFor(config.notifications);
  }

  /** A pass under way finishes (its messages are recorded) before the transport closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.running?.catch(() => undefined);
    this.mail.close();
  }

  /**
   * Delivers everything due now, in batches. A call while a pass runs joins it, and the pass goes
   * round once more (messages written meanwhile, e.g. announced by NOTIFY, go now, not at the next tick).
   */
  deliverDue(): Promise<DeliveryResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.passes().finally(() => (this.running = undefined));
    return this.running;
  }

  private async passes(): Promise<DeliveryResult> {
    const total: DeliveryResult = { sent: 0, failed: 0, dead: 0, cancelled: 0 };
    do {
      this.again = false;
      const pass = await this.deliverAll();
      for (const k of Object.keys(total) as (keyof DeliveryResult)[]) total[k] += pass[k];
    } while (this.again);
    return total;
  }

  /** Deletes the messages done for longer than the retention (FINISHED_MESSAGE_RETENTION_MS). */
  purgeFinished(): Promise<number> {
    return this.repo.purgeFinished(new Date(this.clock.now().getTime() - FINISHED_MESSAGE_RETENTION_MS));
  }

  /**
   * Sends are started only in the first half of their claim's lease, so each ends (within the
   * transport's timeouts) before another worker may take the message; the rest of a batch that a
   * slow server held up is released and claimed again with a fresh lease.
   */
  private async deliverAll(): Promise<DeliveryResult> {
    const total: DeliveryResult = { sent: 0, failed: 0, dead: 0, cancelled: 0 };
    for (;;) {
      const now = this.clock.now();
      const batch = await this.repo.claimDue(now, new Date(now.getTime() + CLAIM_LEASE_MS), BATCH);
      const startBefore = now.getTime() + CLAIM_LEASE_MS / 2;
      const unsent: ClaimedMessage[] = [];
      await eachWithLimit(batch, IN_FLIGHT, async (m) => {
        if (this.clock.now().getTime() >= startBefore) unsent.push(m);
        else total[await this.deliver(m)]++;
      });
      if (unsent.length > 0) await this.repo.release(unsent, this.clock.now());
      else if (batch.length < BATCH) return total;
    }
  }

  /** One attempt at one claimed message. */
  async deliver(m: ClaimedMessage): Promise<keyof DeliveryResult> {
    const what = `message ${m.id} (${m.template}, ${m.channel}, attempt ${m.attempt})`;
    if ((!m.booking && !m.claimId) || !m.place || (m.template === 'booking-reminder' && m.booking?.status !== 'confirmed')) {
      await this.repo.markCancelled(m.id, m.attempt);
      return 'cancelled';
    }
    try {
      await this.send(m);
    } catch (error) {
      const reason = safeError(error);
      const now = this.clock.now();
      const status = await this.repo.markFailed(m.id, m.attempt, reason, new Date(now.getTime() + retryDelayMs(m.attempt)), this.config.notifications.maxAttempts);
      this.logger.warn(`${what} ${status === 'dead' ? 'dead-lettered' : 'failed'}: ${reason}`);
      return status;
    }
    await this.repo.markSent(m.id, m.attempt, this.clock.now());
    this.logger.log(`${what} sent (${m.channel === 'email' ? this.mail.description : this.sms.description})`);
    return 'sent';
  }

  /**
   * The booking's manage token, or none when it cannot be opened (encrypted under another
   * TUKIAIKA_AUTH_SECRET, whose tokens no longer work anyway): the message goes without the link.
   */
  private manageToken(box: Buffer, bookingId: string): string | undefined {
    try {
      return this.secrets.openManageToken(box, bookingId);
    } catch {
      this.logger.warn(`booking ${bookingId}: its manage token cannot be opened with this auth secret; the message goes without the link`);
      return undefined;
    }
  }

  private async send(m: ClaimedMessage): Promise<void> {
    const b = m.booking;
    const place = m.place!;
    const resident = m.recipientKind === 'resident' && b !== null;
    const token = resident && b.manageTokenEncrypted ? this.manageToken(b.manageTokenEncrypted, b.id) : undefined;
    const language = resident ? m.language : 'fi';
    const content = renderMessage({
      template: m.template,
      language,
      params: m.params,
      booking: b ?? undefined,
      place,
      manageUrl: token && `${this.publicUrl}/m/${token}`,
      bookUrl: resident ? `${this.publicUrl}/${language}` : undefined,
    });
    if (m.channel === 'sms') return this.sms.send({ id: m.id, to: m.recipient, text: content.sms });
    const invitation: IcsInvitation | undefined =
      resident && WITH_CALENDAR.has(m.template)
        ? { method: b.status === 'cancelled' ? 'CANCEL' : 'REQUEST', organizer: this.config.notifications.mailFrom, attendee: { name: b.residentName, email: m.recipient } }
        : undefined;
    const calendar = invitation && b ? { method: invitation.method, content: renderBookingIcs(icsBookingOf(b, place), invitation) } : undefined;
    await this.mail.send({ id: m.id, to: m.recipient, subject: content.subject, text: content.text, html: content.html, calendar });
  }
}

/** Runs `work` on every item, at most `limit` at a time; a slow item holds up only its own lane. */
async function eachWithLimit<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
