// Today's date as the core decides it (src/clock.rs: the user's local date), so the screens,
// the board's figures and the CLI all turn over at the same midnight. Until the core answers,
// the window's own local date stands in; on this machine they are the same date.
import { today as coreToday } from '../api';
import { localDateIso } from '../lib/format';

/** How often the date is asked again, so a window left open overnight turns over. */
export const TODAY_REFRESH_MS = 60_000;

let current = $state(localDateIso());

/** Today, `YYYY-MM-DD`; reactive, so a `$derived` that reads it follows midnight. */
export function todayIso(): string {
  return current;
}

/** Asks the core for today's date now and then every `everyMs`; returns a stop function. */
export function followToday(ask: () => Promise<string> = coreToday, everyMs = TODAY_REFRESH_MS): () => void {
  const refresh = () =>
    ask().then(
      (d) => (current = d),
      () => {}, // no core (a plain browser): keep the window's date
    );
  void refresh();
  const timer = setInterval(refresh, everyMs);
  return () => clearInterval(timer);
}
