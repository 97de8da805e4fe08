// The meeting screen's state: the meeting as the core last answered (`view`), the clocks
// counted on from that answer second by second, and the changes the facilitator makes. Every
// change is one `meetingAct` call, sent in order (a queue), and the core's answer replaces the
// view: the core applies each with its own clock, so the screen never decides a time.
import { lintText, meetingAct, openMeeting, toErrorPayload, type ErrorPayload, type Finding, type MeetingAction, type Meeting, type MeetingClocks, type MeetingView } from '../../api';
import { debounce } from '../../lib/debounce';
import { clocksAt } from '../../lib/meeting';
import { showError } from '../../state/notices.svelte';

/** Quiet time after the last keystroke in the notes before they are saved and read by the coach. */
export const NOTES_DELAY_MS = 500;

export class MeetingState {
  view = $state<MeetingView | null>(null);
  loadError = $state<ErrorPayload | null>(null);
  /** The facilitator's notes as typed (saved after a pause). */
  notes = $state('');
  /** The coach's findings on the notes. */
  noteFindings = $state<Finding[]>([]);
  /** Milliseconds since the view came (the clocks count on from it). */
  #sinceAnswer = $state(0);
  #answeredAt = 0;
  #timer: ReturnType<typeof setInterval> | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #saveNotes = debounce(() => void this.#flushNotes(), NOTES_DELAY_MS);

  readonly clocks: MeetingClocks | null = $derived(this.view ? clocksAt(this.view.clocks, this.#sinceAnswer) : null);
  readonly meeting = $derived(this.view?.meeting ?? null);
  readonly current = $derived(this.view ? this.view.agenda[this.view.meeting.current] : null);
  readonly finished = $derived(this.view?.meeting.ended_at != null);

  #postmortemId: () => string;

  /** `postmortemId` is read when the meeting is opened. */
  constructor(postmortemId: () => string) {
    this.#postmortemId = postmortemId;
  }

  async load(): Promise<void> {
    try {
      this.#take(await openMeeting(this.#postmortemId()));
      this.notes = this.view?.meeting.notes ?? '';
      void this.#lintNotes();
      this.#timer ??= setInterval(() => (this.#sinceAnswer = Date.now() - this.#answeredAt), 250);
    } catch (e) {
      this.loadError = toErrorPayload(e);
    }
  }

  #take(view: MeetingView): void {
    this.view = view;
    this.#answeredAt = Date.now();
    this.#sinceAnswer = 0;
  }

  /** Sends one change; resolves to false when the core refused it (the error is shown). */
  act(action: MeetingAction, context = 'The meeting did not change'): Promise<boolean> {
    const run = async (): Promise<boolean> => {
      const id = this.view?.meeting.id;
      if (!id) return false;
      try {
        this.#take(await meetingAct(id, action));
        return true;
      } catch (e) {
        showError(e, context);
        return false;
      }
    };
    const result = this.#queue.then(run);
    this.#queue = result.catch(() => {});
    return result;
  }

  /** Takes the meeting as the core stored it after feedback (the rest of the view stands). */
  tookFeedback(meeting: Meeting): void {
    if (this.view) this.view = { ...this.view, meeting };
  }

  /** Records a keystroke in the notes: saved and read by the coach once typing pauses. */
  notesEdited(): void {
    this.#saveNotes();
  }

  async #flushNotes(): Promise<void> {
    if (!this.view || this.finished || this.notes === this.view.meeting.notes) return;
    await this.act({ action: 'set_notes', notes: this.notes }, 'The notes were not saved');
    void this.#lintNotes();
  }

  async #lintNotes(): Promise<void> {
    try {
      this.noteFindings = await lintText('notes', this.notes);
    } catch (e) {
      showError(e, 'The language coach could not read the notes');
    }
  }

  /** Saves what is pending (the notes) before the meeting finishes or the page is left. */
  async flush(): Promise<void> {
    this.#saveNotes.cancel();
    await this.#flushNotes();
    await this.#queue;
  }

  dispose(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
