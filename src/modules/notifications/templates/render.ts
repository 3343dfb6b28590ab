import { formatDateTime, formatTimeRange } from '../../web/i18n/dates';
import { isLanguage, Language } from '../../web/i18n/messages';
import { Cause, TEXTS } from './texts';

type Localized = { fi: string; sv: string; en: string };

/** Everything a message's text is made of: the outbox row, its booking and branch, the link. */
export interface MessageContent {
  template: string;
  language: string;
  /** From the event: `start`, `end`, `previousStart`, `cause`, a closure's `reason`. */
  params: Record<string, unknown>;
  /** The booking a message is about; none for a partner's claim (its times are in `params`). */
  booking?: { reference: string; start: Date; end: Date; topicName: Localized; tutorDisplayName: string; partnerName?: Localized | null };
  place: { name: Localized; address: { street: string; postalCode: string; city: string }; timeZone: string; accessibility: Partial<Localized> | null };
  /** `{public URL}/m/{token}` for the resident; undefined for staff messages and without a token. */
  manageUrl?: string;
  /** Where a resident books again (the resident pages). */
  bookUrl?: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

const CAUSES: readonly Cause[] = ['resident', 'library', 'closure', 'absence', 'location-removed', 'hours-changed', 'claim-cancelled'];

/**
 * The message in the recipient's language (fi when it has none of ours), times in the branch's
 * zone as its readers write them ("ti 1.12. klo 10.00"). Pure: no clock, no database.
 */
export function renderMessage(m: MessageContent): RenderedMessage {
  const lang: Language = isLanguage(m.language) ? m.language : 'fi';
  const c = TEXTS[lang];
  const t = c.templates[m.template];
  if (!t) throw new Error(`No message template ${m.template}`);
  const zone = m.place.timeZone;
  const startMs = instantParam(m.params.start) ?? m.booking?.start.getTime();
  const endMs = instantParam(m.params.end) ?? m.booking?.end.getTime();
  if (startMs === undefined || endMs === undefined) throw new Error(`Message ${m.template} has no time`);
  const previousMs = instantParam(m.params.previousStart);
  const place = m.place.name[lang] || m.place.name.fi;
  const partnerName = m.booking?.partnerName;
  const partner = partnerName ? partnerName[lang] || partnerName.fi : undefined;
  const address = `${m.place.address.street}, ${m.place.address.postalCode} ${m.place.address.city}`;
  const cause = CAUSES.find((x) => x === m.params.cause);
  // A closure's reason is public; a claim's rejection or cancellation reason is written for the partner.
  const reason = (cause === 'closure' || m.template.startsWith('claim-')) && typeof m.params.reason === 'string' ? m.params.reason : undefined;
  const values: Record<string, string | undefined> = {
    when: formatDateTime(startMs, zone, lang),
    reference: m.booking?.reference,
    place,
    link: m.manageUrl,
    cause: cause && c.causes[cause],
  };
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

  const facts: [string, string | undefined][] = [
    [c.labels.when, formatTimeRange(startMs, endMs, zone, lang)],
    [c.labels.previous, previousMs === undefined ? undefined : formatDateTime(previousMs, zone, lang)],
    [c.labels.place, `${place}, ${address}`],
    [c.labels.topic, m.booking && (m.booking.topicName[lang] || m.booking.topicName.fi)],
    // A partner's advisory session names the partner, and its advisor is not a library tutor.
    [c.labels.partner, partner],
    [partner ? c.labels.advisor : c.labels.tutor, m.booking?.tutorDisplayName],
    [c.labels.reference, m.booking?.reference],
    [c.labels.accessibility, m.place.accessibility?.[lang] ?? undefined],
  ];
  const causeLines = [cause && c.causes[cause], reason && `${c.labels.reason}: ${reason}`];
  const after = m.template === 'booking-cancelled' ? (m.bookUrl ? fill(c.bookAgain.replace('{link}', m.bookUrl)) : undefined) : m.manageUrl ? fill(c.manage) : undefined;

  const paragraphs: string[][] = [
    [c.greeting],
    [fill(t.lead), ...causeLines.filter((x): x is string => !!x)],
    facts.filter(([, v]) => !!v).map(([k, v]) => `${k}: ${v}`),
    after ? [after] : [],
    fill(c.signature).split('\n'),
  ].filter((p) => p.length > 0);

  return {
    subject: fill(t.subject),
    text: paragraphs.map((p) => p.join('\n')).join('\n\n') + '\n',
    html: htmlOf(paragraphs, m.manageUrl, m.bookUrl, lang),
    sms: fill(t.sms).replace(/\s+/g, ' ').trim(),
  };
}

function instantParam(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The same paragraphs as HTML: links clickable, nothing else but text. */
function htmlOf(paragraphs: string[][], ...rest: [string | undefined, string | undefined, Language]): string {
  const [manageUrl, bookUrl, lang] = rest;
  const links = [manageUrl, bookUrl].filter((u): u is string => !!u);
  const line = (s: string) => {
    let out = escapeHtml(s);
    for (const url of links) out = out.split(escapeHtml(url)).join(`<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`);
    return out;
  };
  const body = paragraphs.map((p) => `<p>${p.map(line).join('<br>\n')}</p>`).join('\n');
  return `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"></head><body>\n${body}\n</body></html>\n`;
}
