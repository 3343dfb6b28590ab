import type { DateException, LocalizedText } from './types';

/** A stored per-date exception (hours as `HH:mm` pairs, validated on the way in) as the resolver takes it. */
export function toDateException(e: { date: string; hours: [string, string][]; reason: LocalizedText | string | null }): DateException {
  const minutes = (t: string) => (t === '24:00' ? 1440 : Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));
  return { date: e.date, hours: e.hours.map(([s, t]) => [minutes(s), minutes(t)] as const), reason: e.reason };
}
