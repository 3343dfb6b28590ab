import { slotPageJson } from './slot-page-json';
import type { SlotView } from './dto/slot.dto';

const view = (n: number): SlotView => ({
  start: `2026-03-29T0${n}:00:00+03:00`,
  end: `2026-03-29T0${n}:45:00+03:00`,
  locationId: '00000000-0000-4000-8000-000000000001',
  tutorId: '00000000-0000-4000-8000-00000000000' + n,
  tutorDisplayName: 'Mätti "Mato" V.\u2028 😀',
  topics: ['online-banking'],
  languages: ['fi', 'sv'],
  kind: 'tutoring',
  partnerId: null,
  claimId: null,
  roomId: null,
});

describe('slotPageJson', () => {
  it('writes the UTF-8 bytes of what JSON.stringify writes, for empty and full pages, with and without a cursor', () => {
    const pages = [
      { items: [], nextCursor: null },
      { items: [view(1)], nextCursor: null },
      { items: [view(1), view(2), view(3)], nextCursor: 'WzE3NzQ3NjQwMDAwMDBd' },
    ];
    for (const page of pages) expect(slotPageJson(page).equals(Buffer.from(JSON.stringify(page)))).toBe(true);
  });

  it('gives the same JSON when a view object is answered again', () => {
    const v = view(4);
    const first = slotPageJson({ items: [v], nextCursor: null }).toString('utf8');
    expect(slotPageJson({ items: [v, v], nextCursor: null }).toString('utf8')).toBe(JSON.stringify({ items: [v, v], nextCursor: null }));
    expect(first).toBe(JSON.stringify({ items: [v], nextCursor: null }));
  });
});
