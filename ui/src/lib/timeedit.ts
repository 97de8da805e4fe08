// Editing timeline times: events are stored in UTC and shown in UTC or the machine's local
// time; these convert between the stored RFC 3339 value and a datetime-local input's value.
import type { TimelineEvent } from '../api/types';

export type TimeZoneMode = 'utc' | 'local';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The value of a datetime-local input ("YYYY-MM-DDTHH:MM") showing `iso` in `mode`. */
export function toInputValue(iso: string, mode: TimeZoneMode): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return mode === 'utc'
    ? `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`
    : `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** The stored UTC time ("...Z") of a datetime-local value read in `mode`; null when invalid. */
export function fromInputValue(value: string, mode: TimeZoneMode): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const date = mode === 'utc' ? new Date(Date.UTC(y, mo - 1, d, h, mi)) : new Date(y, mo - 1, d, h, mi);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace('.000Z', 'Z');
}

/** Events sorted by time; events at the same time keep their order. */
export function sortByTime(events: TimelineEvent[]): TimelineEvent[] {
  return events
    .map((e, i) => ({ e, i, t: new Date(e.at).getTime() }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.e);
}

/** Where a new event goes: five minutes after the last one, else 00:00 UTC of the incident day. */
export function nextEventTime(events: readonly TimelineEvent[], incidentDate: string): string {
  const last = events.reduce<number | null>((m, e) => {
    const t = new Date(e.at).getTime();
    return m === null || t > m ? t : m;
  }, null);
  const at = last === null ? new Date(`${incidentDate}T00:00:00Z`) : new Date(last + 5 * 60_000);
  return at.toISOString().replace('.000Z', 'Z');
}

/** Moves event `index` up (-1) or down (+1) among neighbours at the same time; false if it cannot. */
export function moveWithinTie(events: TimelineEvent[], index: number, by: -1 | 1): boolean {
  const other = index + by;
  if (other < 0 || other >= events.length) return false;
  if (new Date(events[index].at).getTime() !== new Date(events[other].at).getTime()) return false;
  [events[index], events[other]] = [events[other], events[index]];
  return true;
}

/** The machine's time zone name, for labels ("Europe/Copenhagen"). */
export function localZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
}
