// Formatting helpers. All deterministic (fixed English names, explicit time zones) so they can
// be unit-tested and look the same on every machine.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Whole minutes as "45m", "1h 05m", "2d 3h 05m"; "—" when unknown. */
export function formatMinutes(min: number | null | undefined): string {
  if (min === null || min === undefined || !Number.isFinite(min)) return '—';
  const sign = min < 0 ? '-' : '';
  let m = Math.round(Math.abs(min));
  if (m < 60) return `${sign}${m}m`;
  const days = Math.floor(m / 1440);
  m -= days * 1440;
  const hours = Math.floor(m / 60);
  const rest = m - hours * 60;
  return days > 0 ? `${sign}${days}d ${hours}h ${pad2(rest)}m` : `${sign}${hours}h ${pad2(rest)}m`;
}

/** "2025-03-12" as "12 Mar 2025"; anything unparsable is returned unchanged. */
export function formatDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return isoDate;
  const month = MONTHS[Number(m[2]) - 1];
  if (!month) return isoDate;
  return `${Number(m[3])} ${month} ${m[1]}`;
}

/** "2025-03-12" as "12 Mar" (the day, any year); anything unparsable is returned unchanged. */
export function formatDayMonth(isoDate: string): string {
  const full = formatDate(isoDate);
  return full === isoDate ? isoDate : full.replace(/ \d{4}$/, '');
}

/** The UTC clock time of an RFC 3339 timestamp as "HH:MM". */
export function formatUtcTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '??:??';
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** The UTC calendar day of an RFC 3339 timestamp, "YYYY-MM-DD". */
export function utcDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso.slice(0, 10);
  return d.toISOString().slice(0, 10);
}

/** Local wall-clock "HH:MM" of a Date (for "Saved 14:32"). */
export function formatClock(d: Date): string {
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** Today's local date as "YYYY-MM-DD". */
export function localDateIso(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad2(now.getMonth() + 1)}-${pad2(now.getDate())}`;
}

/**
 * How long ago `then` was, relative to `now`: "just now", "5 min ago", "3 h ago", "yesterday",
 * "4 days ago", then a date. Future times (clock skew) count as "just now".
 */
export function relativeTime(then: string | Date, now: Date = new Date()): string {
  const t = typeof then === 'string' ? new Date(then) : then;
  if (Number.isNaN(t.getTime())) return String(then);
  const sec = Math.floor((now.getTime() - t.getTime()) / 1000);
  if (sec < 45) return 'just now';
  const min = Math.round(sec / 60);
  if (min < 60) return `${min} min ago`;
  const hours = Math.round(min / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(sec / 86400);
  if (days <= 1) return 'yesterday';
  if (days < 30) return `${days} days ago`;
  return formatDate(t.toISOString());
}

/** "1 earlier version kept", "12 earlier versions kept"; empty for none. */
export function revisionsLabel(n: number): string {
  if (!n || n < 1) return '';
  return `${n} earlier ${n === 1 ? 'version' : 'versions'} kept`;
}

/** "1 overdue item", "3 overdue items". */
export function overdueLabel(n: number): string {
  return `${n.toLocaleString('en-US')} ${overdueWords(n)}`;
}

/** The words after the count in {@link overdueLabel} (a narrow top bar shows the count only). */
export function overdueWords(n: number): string {
  return `overdue ${n === 1 ? 'item' : 'items'}`;
}
