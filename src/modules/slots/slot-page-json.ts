import type { Page } from '../../common/http/pagination';
import type { SlotView } from './dto/slot.dto';

/**
 * Each view's JSON in UTF-8, remembered per view object: the snapshot hands out one view object
 * per slot and never modifies it, so a slot answered again is neither serialized nor encoded again.
 */
const jsonOfView = new WeakMap<SlotView, Buffer>();

function viewJson(view: SlotView): Buffer {
  let json = jsonOfView.get(view);
  if (json === undefined) {
    json = Buffer.from(JSON.stringify(view));
    jsonOfView.set(view, json);
  }
  return json;
}

const OPEN = Buffer.from('{"items":[');
const COMMA = Buffer.from(',');

/**
 * A page of slots as UTF-8 JSON, byte for byte what JSON.stringify writes. A buffer, not a
 * string: the HTTP layer would otherwise measure and encode the whole page on every answer.
 */
export function slotPageJson(page: Page<SlotView>): Buffer {
  const parts: Buffer[] = [OPEN];
  for (let i = 0; i < page.items.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(viewJson(page.items[i]));
  }
  parts.push(Buffer.from(`],"nextCursor":${JSON.stringify(page.nextCursor)}}`));
  return Buffer.concat(parts);
}
