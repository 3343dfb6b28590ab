import { formatInstant } from '../../src/common/time/format';
import type { FreeSlot } from '../../src/modules/slots/slot-common';
import type { Random } from '../../scripts/seed/random';

/** What a booking request needs of a free slot. */
export interface BenchSlot {
  locationId: string;
  tutorId: string;
  /** As the slot search shows it (local time with offset). */
  start: string;
  startMs: number;
  endMs: number;
  topics: string[];
  languages: string[];
}

/**
 * The run's free slots, handed out in order, each at most once. The app shares this process (and
 * its heap) with the harness, so the slots are kept in typed columns rather than as hundreds of
 * thousands of objects every major GC of the app's thread would have to mark; a slot becomes an
 * object only when a request is made for it.
 */
export class SlotSupply {
  private readonly ids: string[] = [];
  private readonly idIndex = new Map<string, number>();
  private readonly offers: { topics: string[]; languages: string[] }[] = [];
  private readonly offerIndex = new Map<string, number>();
  // One entry per slot, in the order added; `order` is the order they are handed out in.
  private readonly location: number[] = [];
  private readonly tutor: number[] = [];
  private readonly offer: number[] = [];
  private readonly startMs: number[] = [];
  private readonly endMs: number[] = [];
  private readonly order: number[] = [];
  private cursor = 0;

  constructor(private readonly timeZone: string) {}

  add(slots: readonly FreeSlot[]): void {
    for (const s of slots) {
      this.order.push(this.location.length);
      this.location.push(this.idOf(s.locationId));
      this.tutor.push(this.idOf(s.tutorId));
      this.offer.push(this.offerOf(s.topics, s.languages));
      this.startMs.push(s.startMs);
      this.endMs.push(s.endMs);
    }
  }

  get size(): number {
    return this.order.length;
  }

  get left(): number {
    return this.order.length - this.cursor;
  }

  shuffle(rnd: Random): void {
    const o = this.order;
    for (let i = o.length - 1; i > 0; i--) {
      const j = rnd.int(0, i);
      [o[i], o[j]] = [o[j], o[i]];
    }
  }

  /** The next `n` slots (fewer when fewer are left), without using them up. */
  peek(n: number): BenchSlot[] {
    const end = Math.min(this.order.length, this.cursor + n);
    const out: BenchSlot[] = [];
    for (let k = this.cursor; k < end; k++) out.push(this.slot(this.order[k]));
    return out;
  }

  /** Marks the next `n` slots as used (a phase used the first `n` of what it peeked). */
  use(n: number): void {
    this.cursor = Math.min(this.order.length, this.cursor + n);
  }

  /** The next `n` slots, used up. */
  take(n: number): BenchSlot[] {
    const slots = this.peek(n);
    this.use(slots.length);
    return slots;
  }

  private slot(i: number): BenchSlot {
    const offer = this.offers[this.offer[i]];
    return {
      locationId: this.ids[this.location[i]],
      tutorId: this.ids[this.tutor[i]],
      start: formatInstant(this.startMs[i], this.timeZone),
      startMs: this.startMs[i],
      endMs: this.endMs[i],
      topics: offer.topics,
      languages: offer.languages,
    };
  }

  private idOf(id: string): number {
    let k = this.idIndex.get(id);
    if (k === undefined) {
      k = this.ids.push(id) - 1;
      this.idIndex.set(id, k);
    }
    return k;
  }

  private offerOf(topics: string[], languages: string[]): number {
    const key = `${topics.join(',')}|${languages.join(',')}`;
    let k = this.offerIndex.get(key);
    if (k === undefined) {
      k = this.offers.push({ topics, languages }) - 1;
      this.offerIndex.set(key, k);
    }
    return k;
  }
}
