// The meeting's clocks between two answers from the core, for both windows: the core reads
// the clocks when it answers (`MeetingView.clocks` as of `as_of`), and the screen counts on
// from there every quarter second while the meeting runs (`clocksAt`, the core's rule, pinned
// by golden cases).
import type { MeetingClocks, MeetingView } from '../../api';
import { clocksAt } from '../../lib/meeting';

/** How often the countdowns are redrawn. */
export const TICK_MS = 250;

export class LiveClocks {
  #read = $state<MeetingClocks | null>(null);
  #since = $state(0);
  #readAt = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  /** The clocks now, or null before the first answer. */
  readonly now: MeetingClocks | null = $derived(this.#read ? clocksAt(this.#read, this.#since) : null);

  /** Takes the clocks of an answer that just came, and starts ticking. */
  answered(view: MeetingView): void {
    this.#read = view.clocks;
    this.#readAt = Date.now();
    this.#since = 0;
    this.#timer ??= setInterval(() => (this.#since = Date.now() - this.#readAt), TICK_MS);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
