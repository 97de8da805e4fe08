// The autosave state machine of the postmortem page.
//
//   edit ──► dirty ──(quiet for delayMs)──► saving ──► saved (apply server result)
//                                              │ └──► dirty again when edited meanwhile
//                                              └────► error (kept until the next edit retries)
//
// One save in flight at a time. A save's result is applied only when nothing was edited while
// it was in flight, so the server copy never clobbers what the user is typing.
import type { ErrorPayload } from '../api/types';
import { toErrorPayload } from '../api/errors';

export type SaveState =
  | { kind: 'saved'; at: Date | null }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'error'; error: ErrorPayload };

export interface AutoSaverOptions<R> {
  /** Quiet time after the last edit before saving. */
  delayMs: number;
  /** Saves the current document. */
  save: () => Promise<R>;
  /** Receives the saved result when no edit happened during the save. */
  apply: (result: R) => void;
  /**
   * Receives every saved result, even one not applied because the user typed meanwhile: what
   * the next save must carry from it (the stored version's stamp) is taken here.
   */
  adopt?: (result: R) => void;
  /** Told about every state change. */
  onState?: (state: SaveState) => void;
  now?: () => Date;
}

export class AutoSaver<R> {
  #opts: AutoSaverOptions<R>;
  #state: SaveState = { kind: 'saved', at: null };
  #edits = 0;
  #savedEdits = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #inFlight: Promise<boolean> | null = null;
  #queued = false;
  #disposed = false;
  /** Bumped by `discard`: a save started before it no longer speaks for the page. */
  #generation = 0;

  constructor(opts: AutoSaverOptions<R>) {
    this.#opts = opts;
  }

  get state(): SaveState {
    return this.#state;
  }

  /** True while some edit has not been saved. */
  get dirty(): boolean {
    return this.#edits !== this.#savedEdits;
  }

  get saving(): boolean {
    return this.#inFlight !== null;
  }

  #set(s: SaveState) {
    this.#state = s;
    if (!this.#disposed) this.#opts.onState?.(s);
  }

  #clearTimer() {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  /** Records an edit and (re)starts the debounce. */
  edited(): void {
    if (this.#disposed) return;
    this.#edits++;
    if (!this.#inFlight) this.#set({ kind: 'dirty' });
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#run();
    }, this.#opts.delayMs);
  }

  /** Starts a save now, or queues one behind the save in flight. Resolves to its success. */
  #run(): Promise<boolean> {
    if (this.#inFlight) {
      this.#queued = true;
      return this.#inFlight;
    }
    if (!this.dirty) return Promise.resolve(true);
    const at = this.#edits;
    const generation = this.#generation;
    this.#set({ kind: 'saving' });
    const p = (async () => {
      let ok: boolean;
      try {
        const result = await this.#opts.save();
        if (generation !== this.#generation) {
          // Discarded while in flight: the page has taken another version; this answer
          // (and its stamp) must not replace it.
          ok = true;
        } else {
          this.#savedEdits = Math.max(this.#savedEdits, at);
          if (!this.#disposed) this.#opts.adopt?.(result);
          if (this.#edits === at) {
            if (!this.#disposed) this.#opts.apply(result);
            this.#set({ kind: 'saved', at: (this.#opts.now ?? (() => new Date()))() });
          } else {
            this.#set({ kind: 'dirty' });
          }
          ok = true;
        }
      } catch (e) {
        if (generation === this.#generation) this.#set({ kind: 'error', error: toErrorPayload(e) });
        ok = generation !== this.#generation;
      }
      this.#inFlight = null;
      if (this.#queued && !this.#disposed) {
        // An edit came in during the save and its debounce already ran out: save it now.
        this.#queued = false;
        void this.#run();
      }
      return ok;
    })();
    this.#inFlight = p;
    return p;
  }

  /**
   * Saves everything now (for leaving the page). Resolves to true when nothing is left
   * unsaved, false when a save failed (the state then says why).
   */
  async flush(): Promise<boolean> {
    this.#clearTimer();
    for (;;) {
      if (this.#inFlight) {
        await this.#inFlight;
        continue;
      }
      if (!this.dirty) return true;
      this.#clearTimer();
      if (!(await this.#run())) return false;
    }
  }

  /** Resolves once no save is in flight (without starting one). */
  async idle(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
  }

  /**
   * Forgets unsaved edits (the user chose to take the stored version instead). A save still
   * in flight is disowned: its answer is neither applied nor adopted, and nothing queued
   * behind it runs.
   */
  discard(): void {
    this.#clearTimer();
    this.#generation++;
    this.#queued = false;
    this.#savedEdits = this.#edits;
    this.#set({ kind: 'saved', at: null });
  }

  /** Stops timers; later results are no longer applied. */
  dispose(): void {
    this.#disposed = true;
    this.#clearTimer();
  }
}

/** The indicator text for a state. */
export function saveStateLabel(s: SaveState, clock: (d: Date) => string): string {
  switch (s.kind) {
    case 'saved':
      return s.at ? `Saved ${clock(s.at)}` : 'Saved';
    case 'dirty':
      return 'Unsaved changes';
    case 'saving':
      return 'Saving…';
    case 'error':
      // The page explains a stale save in full and offers the choices; retrying cannot help.
      if (s.error.code === 'changed') return 'Not saved: changed elsewhere';
      return `Save failed: ${s.error.message}`;
  }
}
