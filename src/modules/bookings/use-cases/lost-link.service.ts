import { Inject, Injectable } from '@nestjs/common';
import { RateLimiter } from '../../../common/rate-limit/rate-limiter.service';
import { Clock } from '../../../common/time/clock';
import { AppConfig, APP_CONFIG } from '../../../config/app-config';
import { BookingsRepository } from '../bookings.repository';
import { ResendManageLinkDto } from '../dto/booking.dto';
import { normalizeEmail, normalizePhone } from '../rules/contact';
import { normalizeReference } from '../rules/reference';
import { BookingSecrets } from '../secrets';
import { actorColumns, RESIDENT } from './actors';

/** Requests for one reference within the rate-limit window (on top of the per-address limit). */
export const RESENDS_PER_REFERENCE = 3;

/**
 * "Lost your link?": a resident gives the booking's reference and the phone number or e-mail it
 * was booked with; when they match an active booking that has not ended, it gets a new manage
 * token (the old link dies) and a `manage_link_renewed` event naming that contact's channel, so
 * the outbox sends the new link there only. The caller learns nothing: the answer is the same
 * whether or not anything matched. Rate-limited per client address and per reference.
 */
@Injectable()
export class LostLinkService {
  private readonly secrets: BookingSecrets;

  constructor(
    private readonly repo: BookingsRepository,
    private readonly clock: Clock,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.secrets = new BookingSecrets(config.auth.secret);
  }

  async resend(dto: ResendManageLinkDto, ip: string): Promise<void> {
    const reference = normalizeReference(dto.reference);
    const { bookingPerIp, windowSeconds } = this.config.rateLimit;
    await this.limiter.consumeAll(
      [{ key: `manage-link:ip:${ip}`, limit: bookingPerIp }, ...(reference ? [{ key: `manage-link:ref:${reference}`, limit: RESENDS_PER_REFERENCE }] : [])],
      windowSeconds,
    );
    const contact = dto.contact.includes('@') ? { channel: 'email' as const, value: normalizeEmail(dto.contact) } : { channel: 'sms' as const, value: normalizePhone(dto.contact) };
    if (!reference || !contact.value) return;
    await this.repo.transaction(async (m) => {
      const now = this.clock.now();
      const found = await this.repo.activeByReferenceAndContact(m, reference, contact.channel === 'email' ? { email: contact.value! } : { phone: contact.value! }, now);
      if (!found) return;
      const { token, hash } = this.secrets.newManageToken();
      if (!(await this.repo.renewToken(m, found.id, found.version, hash, now))) return;
      await this.repo.insertEvent(m, {
        bookingId: found.id,
        type: 'manage_link_renewed',
        at: now,
        ...actorColumns(RESIDENT),
        reason: null,
        payload: { contact: contact.channel, manageTokenBox: this.secrets.sealManageToken(token, found.id) },
      });
    });
  }
}
