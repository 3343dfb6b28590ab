import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { BookingView, CreateBookingDto, ResendManageLinkDto } from '../bookings/dto/booking.dto';
import { BookService } from '../bookings/use-cases/book.service';
import { CancelService } from '../bookings/use-cases/cancel.service';
import { LostLinkService } from '../bookings/use-cases/lost-link.service';
import { ManageLinkService } from '../bookings/use-cases/manage-link.service';
import { RescheduleService } from '../bookings/use-cases/reschedule.service';
import type { LocationView, OpeningDayView } from '../locations/dto/location.dto';
import { LocationsService } from '../locations/locations.service';
import type { LocalizedText } from '../locations/opening-hours/types';
import type { SlotView } from '../slots/dto/slot.dto';
import { SlotsService } from '../slots/slots.service';
import type { TopicView } from '../topics/dto/topic.dto';
import { TopicsService } from '../topics/topics.service';

/** Pages of a list read before giving up: a safety stop, far above the national catalogue. */
const MAX_PAGES = 50;

/** Names of active partner organisations by id. */
export type PartnerNames = ReadonlyMap<string, LocalizedText>;

export interface SlotsWithPartners {
  slots: SlotView[];
  partners: PartnerNames;
}

/**
 * EVERY call the resident pages make into other modules' services, in one place: when those
 * services are renamed or split, this file is the only one of the web module that changes.
 * The booking calls are the very ones POST /bookings and /bookings/manage/… make, so the pages
 * get the same rate limits, idempotency, per-contact cap and lifecycle rules.
 */
@Injectable()
export class ResidentGateway {
  constructor(
    private readonly clock: Clock,
    private readonly topicsService: TopicsService,
    private readonly locations: LocationsService,
    private readonly slots: SlotsService,
    private readonly booker: BookService,
    private readonly links: ManageLinkService,
    private readonly cancelling: CancelService,
    private readonly rescheduling: RescheduleService,
    private readonly lostLinks: LostLinkService,
  ) {}

  now(): number {
    return this.clock.now().getTime();
  }

  /** Active topics, in the catalogue's order. */
  async topics(): Promise<TopicView[]> {
    return collect((cursor) => this.topicsService.list(undefined, 100, cursor));
  }

  /** Active branches (all, or of one municipality), by slug. */
  async branches(municipality?: string): Promise<LocationView[]> {
    return collect((cursor) => this.locations.list({ municipality, limit: 100, cursor }));
  }

  /** Municipality names by code. */
  async municipalityNames(): Promise<Map<string, { fi: string; sv: string }>> {
    const { items } = await this.locations.municipalities();
    return new Map(items.map((m) => [m.code, m.name]));
  }

  /** One branch (404 problem when unknown). */
  async branch(id: string): Promise<LocationView> {
    return this.locations.get(id);
  }

  /** One branch (404 problem when unknown) and its days in the range `dates` picks for its time zone (local dates, inclusive) with hours and holidays. */
  async branchWithDays(id: string, dates: (timeZone: string) => { from: string; to: string }): Promise<{ branch: LocationView; days: OpeningDayView[] }> {
    const { location, items } = await this.locations.withOpeningHours(id, dates);
    return { branch: location, days: items };
  }

  /**
   * Free slots at one branch for a topic, in time order (the public slot search): tutoring ones
   * unless `kind` asks for partners' advisory sessions or for both (`any`).
   */
  async freeSlots(q: { locationId: string; topic: string; from: string; to?: string; language?: string; kind?: 'tutoring' | 'advisory' | 'any' }): Promise<SlotView[]> {
    const kind = q.kind === 'any' ? undefined : (q.kind ?? 'tutoring');
    return collect((cursor) => this.slots.search({ locationId: q.locationId, topic: q.topic, language: q.language, from: q.from, to: q.to, kind, limit: 500, cursor }), 4);
  }

  /** freeSlots with the names of the partners they name (read with them, SlotsService.partnerNamesSeen). */
  async freeSlotsWithPartners(q: Parameters<ResidentGateway['freeSlots']>[0]): Promise<SlotsWithPartners> {
    const slots = await this.freeSlots(q);
    return { slots, partners: await this.slots.partnerNamesSeen() };
  }

  /** Names of active partner organisations by id. */
  async partnerNames(): Promise<PartnerNames> {
    return this.slots.partnerNames();
  }

  /** POST /bookings' own service call. */
  async book(dto: CreateBookingDto, ip: string, idempotencyKey: string): Promise<BookingView> {
    return (await this.booker.create(dto, { ip, idempotencyKey })).body;
  }

  async booking(token: string): Promise<BookingView> {
    return this.links.viewByToken(token);
  }

  async cancel(token: string): Promise<BookingView> {
    return this.cancelling.byToken(token, {});
  }

  async move(token: string, start: string): Promise<BookingView> {
    return this.rescheduling.byToken(token, { start });
  }

  async resendLink(dto: ResendManageLinkDto, ip: string): Promise<void> {
    await this.lostLinks.resend(dto, ip);
  }

  async calendar(token: string): Promise<{ filename: string; body: string }> {
    return this.links.calendarByToken(token);
  }
}

async function collect<T>(page: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>, maxPages = MAX_PAGES): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const result = await page(cursor);
    out.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return out;
}
