// Today's date as the core decides it (src/clock.rs: the user's local date), so the screens,
// the board's figures and the CLI all turn over at the same midnight. Until the core answers,
// the window's own local date stands in; on this machine they are the same date.
import { untrack } from 'svelte';
import { today as coreToday } from '../api';
import { localDateIso } from '../lib/format';

/** How often the date is asked again, so a window left open overnight turns over. */
export const TODAY_REFRESH_MS = 60_000;

/** How long after the window's midnight the date is asked, so the core's clock has turned too. */
export const AFTER_MIDNIGHT_MS = 1_000;

let current = $state(localDateIso());

/** Today, `YYYY-MM-DD`; reactive, so a `$derived` that reads it follows midnight. */
export function todayIso(): string {
  return current;
}

/**
 * Runs `turn` with the new date each time the day turns over while the calling component is
 * shown (a window left open overnight). Call it while the component initialises: it makes an
 * effect, which ends with the component.
 */
export function onNewDay(turn: (day: string) => void): void {
  let seen = current;
  $effect(() => {
    const day = current;
    if (day === seen) return;
    seen = day;
    untrack(() => turn(day));
  });
}

/**
 * How long to wait before asking again at `now`: the usual interval, or less when the local
 * midnight comes first, so the screens turn over within a second of it and not up to a minute
 * later. A clock or time-zone change is caught by the next usual ask.
 */
export function nextAskIn(now: Date, everyMs: number): number {
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return Math.min(everyMs, midnight.getTime() - now.getTime() + AFTER_MIDNIGHT_MS);
}

/** Asks the core for today's date now and then as `nextAskIn` says; returns a stop function. */
export function followToday(ask: () => Promise<string> = coreToday, everyMs = TODAY_REFRESH_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const refresh = () => {
    ask().then(
      (d) => (current = d),
      () => {}, // no core (a plain browser): keep the window's date
    );
    if (!stopped) timer = setTimeout(refresh, nextAskIn(new Date(), everyMs));
  };
  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
