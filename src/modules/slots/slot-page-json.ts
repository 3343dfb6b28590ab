import type { Page } from '../../common/http/pagination';
import type { SlotView } from './dto/slot.dto';

/**
 * Each view's JSON, remembered per view object: the snapshot hands out one view object per slot
 * and never modifies it, so a slot answered again is not serialized again.
 */
const jsonOfView = new WeakMap<SlotView, string>();

function viewJson(view: SlotView): string {
  let json = jsonOfView.get(view);
  if (json === undefined) {
    json = JSON.stringify(view);
    jsonOfView.set(view, json);
  }
  return json;
}

/** A page of slots as JSON, exactly as JSON.stringify writes it. */
export function slotPageJson(page: Page<SlotView>): string {
  let out = '{"items":[';
  for (let i = 0; i < page.items.length; i++) out += (i === 0 ? '' : ',') + viewJson(page.items[i]);
  return `${out}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
}
