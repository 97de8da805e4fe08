// The meeting screen's clocks between two answers from the core. The core reads the clocks
// when it answers (`MeetingView.clocks` as of `as_of`); the screen counts on from there, second
// by second, while the meeting runs. The rule is the core's `Meeting::clocks`, pinned by the
// golden cases in tests/fixtures/golden/meeting-clocks.json that both test suites read.
import type { MeetingClocks } from '../api/types';

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

/** Whether a key press belongs to a field being typed in (the meeting's keys stay out). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean; type?: string } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range'].includes(el.type ?? 'text');
}

/** The key that counts a turn for the attendee at `index`: 1 to 9, then none. */
export function attendeeKey(index: number): string | null {
  return index < 9 ? String(index + 1) : null;
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
  if (/^[1-9]$/.test(key)) return { kind: 'spoke', index: Number(key) - 1 };
  return null;
}
