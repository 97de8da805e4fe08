// The meeting screen's clocks between two answers from the core. The core reads the clocks
// when it answers (`MeetingView.clocks` as of `as_of`); the screen counts on from there, second
// by second, while the meeting runs. The rule is the core's `Meeting::clocks`, pinned by the
// golden cases in tests/fixtures/golden/meeting-clocks.json that both test suites read.
import type { Attendee, MeetingClocks, MeetingRole, Participant } from '../api/types';

/** Each meeting role in words, as the core writes it into the postmortem's participants
 *  (`MeetingRole::label`, pinned by tests/fixtures/golden/meeting-roles.json). */
export const ROLE_LABEL: Record<MeetingRole, string> = {
  facilitator: 'Facilitator',
  incident_commander: 'Incident commander',
  scribe: 'Scribe',
  subject_matter_expert: 'Subject-matter expert',
  observer: 'Observer',
};

/**
 * The participants after a meeting: each attendee not already listed (by name, ignoring
 * case) added with their meeting role; people listed keep the role they had. The core's
 * `finish_meeting` rule, applied on the page so its next autosave writes the same list.
 */
export function withAttendance(participants: Participant[], attendees: Attendee[]): Participant[] {
  const out = [...participants];
  for (const a of attendees) {
    if (!out.some((p) => p.name.toLowerCase() === a.name.toLowerCase())) out.push({ name: a.name, role: ROLE_LABEL[a.role] });
  }
  return out;
}

/** The clocks `elapsedMs` after they were read (nothing moves while the clock is stopped). */
export function clocksAt(clocks: MeetingClocks, elapsedMs: number): MeetingClocks {
  if (!clocks.running) return clocks;
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
  const stepLeft = clocks.step_left - seconds;
  return {
    running: true,
    step_spent: clocks.step_spent + seconds,
    step_left: stepLeft,
    step_overrun: stepLeft < 0,
    total_spent: clocks.total_spent + seconds,
    total_left: clocks.total_left - seconds,
  };
}

/** Seconds as a clock: `4:05`, `1:02:03`; negative (overrun) as `−0:42`. */
export function formatClock(seconds: number): string {
  const sign = seconds < 0 ? '−' : '';
  const s = Math.abs(Math.trunc(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${ss}` : `${sign}${m}:${ss}`;
}

/** What the meeting's keys see of the element a key press went to (an `HTMLElement`). */
type KeyTarget = {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
  getAttribute?: (name: string) => string | null;
  closest?: (selector: string) => unknown;
};

/** Whether a key press belongs to a field being typed in (the meeting's keys stay out). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as KeyTarget | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range'].includes(el.type ?? 'text');
}

/** Whether Space on this element means the element itself (a button, a box, a link). */
function activates(el: KeyTarget): boolean {
  if (['BUTTON', 'A', 'SUMMARY', 'INPUT'].includes(el.tagName ?? '')) return true;
  const role = el.getAttribute?.('role') ?? null;
  const focusable = (el.getAttribute?.('tabindex') ?? null) !== null;
  return focusable || (role !== null && ['button', 'link', 'checkbox', 'radio'].includes(role));
}

/**
 * What a key press does in the meeting, or null when it belongs to where it was pressed: a
 * field being typed in, a dialog, Space on a focused button (which presses it), arrows on a
 * radio or range, a held key repeating, or a press something else already took.
 */
export function meetingKeyFor(e: { key: string; target: EventTarget | null; repeat: boolean; defaultPrevented: boolean }): MeetingKey | null {
  if (e.defaultPrevented || e.repeat) return null;
  const el = e.target as KeyTarget | null;
  if (isTyping(e.target)) return null;
  if (el?.closest?.('dialog, [role="dialog"], [role="alertdialog"]')) return null;
  const key = meetingKey(e.key);
  if (!key || !el || typeof el.tagName !== 'string') return key;
  if (key.kind === 'toggle' && activates(el)) return null;
  if ((key.kind === 'next' || key.kind === 'previous') && el.tagName === 'INPUT') return null;
  return key;
}

/** One key per attendee, in the order they were added: 1 to 9, 0, then a to z. */
export const ATTENDEE_KEYS = '1234567890abcdefghijklmnopqrstuvwxyz';

/** The key that counts a turn for the attendee at `index`, or null past the 36th. */
export function attendeeKey(index: number): string | null {
  return ATTENDEE_KEYS[index] ?? null;
}

/** What a meeting key does, from the key pressed (`KeyboardEvent.key`). */
export type MeetingKey = { kind: 'next' } | { kind: 'previous' } | { kind: 'toggle' } | { kind: 'spoke'; index: number };

export function meetingKey(key: string): MeetingKey | null {
  switch (key) {
    case 'ArrowRight':
    case 'PageDown':
      return { kind: 'next' };
    case 'ArrowLeft':
    case 'PageUp':
      return { kind: 'previous' };
    case ' ':
      return { kind: 'toggle' };
  }
  const index = key.length === 1 ? ATTENDEE_KEYS.indexOf(key.toLowerCase()) : -1;
  return index >= 0 ? { kind: 'spoke', index } : null;
}
