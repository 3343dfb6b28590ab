import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { actorKindOf } from '../../../common/access/booking-access';
import { Principal } from '../../../common/auth/principal';
import { assertIfMatch } from '../../../common/http/if-match';
import { ProblemException } from '../../../common/problem/problem.exception';
import { Clock } from '../../../common/time/clock';
import { AppConfig, APP_CONFIG } from '../../../config/app-config';
import { icsBookingOf, renderBookingIcs } from '../booking-ics';
import { toBookingView, toStaffBookingView } from '../booking-view';
import { BookingRecord, BookingsRepository } from '../bookings.repository';
import { BookingView } from '../dto/booking.dto';
import { StaffBookingView } from '../dto/staff.dto';
import { decideTransition } from '../rules/lifecycle';
import { BookingSecrets } from '../secrets';
import { actorColumns, assertVerdict } from './actors';
import { BookingPlaces } from './booking-places';

/**
 * The "manage link" use case: the resident's link (its token finds the booking: view, calendar
 * file; cancel and reschedule use `byToken`) and the desk renewing it.
 */
@Injectable()
export class ManageLinkService {
  private readonly secrets: BookingSecrets;

  constructor(
    private readonly repo: BookingsRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly places: BookingPlaces,
  ) {
    this.secrets = new BookingSecrets(config.auth.secret);
  }

  /**
   * The booking of a manage token, or the same 404 for every wrong token. The lookup goes by the
   * token's HMAC (unique index); the hashes are then compared in constant time. With `m`, the
   * booking row stays locked until the transaction ends.
   */
  async byToken(token: string, m?: EntityManager): Promise<BookingRecord> {
    const hash = this.secrets.hashToken(token);
    const booking = hash && (await this.repo.findByTokenHash(hash, m ?? this.repo.manager(), m !== undefined));
    if (!booking || !this.secrets.tokenMatches(booking.manageTokenHash, token)) throw ProblemException.notFound('booking');
    return booking;
  }

  async viewByToken(token: string): Promise<BookingView> {
    const booking = await this.byToken(token);
    return toBookingView(booking, await this.places.of(booking));
  }

  async calendarByToken(token: string): Promise<{ filename: string; body: string }> {
    const b = await this.byToken(token);
    const place = await this.places.of(b);
    const body = renderBookingIcs(icsBookingOf(b, { timeZone: place.timezone, name: place.name, address: place.address }));
    return { filename: `tukiaika-${b.reference}.ics`, body };
  }

  /**
   * A new manage token for the resident (the response is the only place it is shown); the old
   * token stops working when this commits. The caller has checked that `caller` may see the
   * booking and renew links at all; `changedMeanwhile` is the problem when the row changed
   * between the read and the write.
   */
  async renew(caller: Principal, id: string, ifMatch: string | undefined, changedMeanwhile: () => ProblemException): Promise<{ body: StaffBookingView; version: number }> {
    const { token, hash } = this.secrets.newManageToken();
    await this.repo.transaction(async (m) => {
      const now = this.clock.now();
      const b = (await this.repo.findById(id, m))!;
      assertIfMatch(ifMatch, b.version);
      assertVerdict(decideTransition({ status: b.status, start: b.start.getTime(), end: b.end.getTime(), now: now.getTime(), action: 'manage-link', actor: actorKindOf(caller) }));
      if (!(await this.repo.renewToken(m, id, b.version, hash, now))) throw changedMeanwhile();
      await this.repo.insertEvent(m, { bookingId: id, type: 'manage_link_renewed', at: now, ...actorColumns({ type: 'user', userId: caller.id }), reason: null, payload: { manageTokenBox: this.secrets.sealManageToken(token, id) } });
    });
    const b = (await this.repo.findById(id))!;
    return { body: toStaffBookingView(b, await this.places.of(b), token), version: b.version };
  }
}
