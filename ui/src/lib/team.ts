// The team library's state in words: the sync badge in the top bar and the team screen.
import type { ConflictVersion } from '../api';
import type { TeamStatus } from '../api';

export type BadgeTone = 'quiet' | 'ok' | 'pending' | 'warning' | 'danger';

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** What the top bar's sync badge says, and how loudly. */
export function teamBadge(s: TeamStatus): { text: string; tone: BadgeTone } {
  switch (s.state) {
    case 'not_connected':
      return { text: 'Not shared', tone: 'quiet' };
    case 'conflict': {
      const fields = s.conflicts.reduce((n, c) => n + c.fields, 0);
      return { text: plural(fields, 'conflict', 'conflicts'), tone: 'danger' };
    }
    case 'offline':
      return { text: s.to_send > 0 ? `Offline · ${s.to_send.toLocaleString('en-US')} to send` : 'Offline', tone: 'warning' };
    case 'to_receive':
      return { text: `${s.to_receive.toLocaleString('en-US')} to receive`, tone: 'pending' };
    case 'to_send':
      return { text: `${s.to_send.toLocaleString('en-US')} to send`, tone: 'pending' };
    default:
      return { text: s.problems.length > 0 ? plural(s.problems.length, 'file to fix', 'files to fix') : 'Up to date', tone: s.problems.length > 0 ? 'warning' : 'ok' };
  }
}

/** A conflict version's value as a reader sees it: text as written, lists one per line. */
export function versionText(v: ConflictVersion): string {
  const value = v.value;
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((x) => typeof x === 'string')) return value.length ? value.join('\n') : '(none)';
  return JSON.stringify(value, null, 2);
}

/** The automatic-sync choices offered, in minutes (0: off). */
export const SYNC_INTERVALS = [0, 5, 15, 30, 60] as const;

export function intervalLabel(minutes: number): string {
  if (minutes === 0) return 'Off';
  if (minutes === 60) return 'Every hour';
  return `Every ${minutes} minutes`;
}
