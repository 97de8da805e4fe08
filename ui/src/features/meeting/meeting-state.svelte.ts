// The meeting screen's state: the meeting as the core last answered (`view`), the clocks
// counted on from that answer (LiveClocks), and the changes the facilitator makes. Every
// change is one `meetingAct` call, sent in order (a queue), and the core's answer replaces the
// view: the core applies each with its own clock, so the screen never decides a time.
import {
  getMeeting,
  keepMeetingPlan,
  lintMeetingNotes,
  meetingAct,
  newMeeting,
  openMeeting,
  toErrorPayload,
  type ErrorPayload,
  type Finding,
  type Meeting,
  type MeetingAction,
  type MeetingClocks,
  type MeetingView,
} from '../../api';
import { debounce } from '../../lib/debounce';
import { LatestOnly, STALE } from '../../lib/latest';
import { LiveClocks } from './live-clocks.svelte';
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
  /** Changes sent and not answered yet: controls that name a step by its place wait for them. */
  pending = $state(0);
  #clocks = new LiveClocks();
  /** Counts the core's answers taken: a refresh asked before an answer came is not shown over it. */
  #answers = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #saveNotes = debounce(() => void this.#flushNotes(), NOTES_DELAY_MS);
  #lintLatest = new LatestOnly();
  #refreshLatest = new LatestOnly();
  #postmortemId: () => string;

  readonly clocks: MeetingClocks | null = $derived(this.#clocks.now);
  readonly current = $derived(this.view ? this.view.agenda[this.view.meeting.current] : null);
  readonly finished = $derived(this.view?.meeting.ended_at != null);

  /** `postmortemId` is read when the meeting is opened. */
  constructor(postmortemId: () => string) {
    this.#postmortemId = postmortemId;
  }

  /** Opens the postmortem's latest meeting (or its first). */
  async load(): Promise<void> {
    try {
      this.#opened(await openMeeting(this.#postmortemId()));
    } catch (e) {
      this.loadError = toErrorPayload(e);
    }
  }

  /** Begins the next meeting on this postmortem (the last one is finished). */
  async begin(): Promise<void> {
    try {
      this.#opened(await newMeeting(this.#postmortemId()));
    } catch (e) {
      showError(e, 'A new meeting could not begin');
    }
  }

  #opened(view: MeetingView): void {
    this.#take(view);
    this.notes = view.meeting.notes;
    void this.#lintNotes();
  }

  #take(view: MeetingView): void {
    this.#answers++;
    this.view = view;
    this.#clocks.answered(view);
  }

  /** Runs `work` after every change sent before it, counting it as pending. */
  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.#queue.then(work).finally(() => this.pending--);
    this.#queue = result.catch(() => {});
    return result;
  }

  /** Sends one change; resolves to false when the core refused it (the error is shown). */
  act(action: MeetingAction, context = 'The meeting did not change'): Promise<boolean> {
    return this.#enqueue(async () => {
      const id = this.view?.meeting.id;
      if (!id) return false;
      try {
        this.#take(await meetingAct(id, action));
        return true;
      } catch (e) {
        showError(e, context);
        return false;
      }
    });
  }

  /**
   * Reads the meeting again (the postmortem was saved: the checklist and questions follow it).
   * Its answer is dropped when the meeting changed meanwhile (an action's answer is newer).
   */
  async refresh(): Promise<void> {
    const id = this.view?.meeting.id;
    if (!id || this.pending > 0) return;
    const before = this.#answers;
    try {
      const view = await this.#refreshLatest.run(() => getMeeting(id));
      if (view !== STALE && this.pending === 0 && this.#answers === before && this.view?.meeting.id === id) this.#take(view);
    } catch (e) {
      showError(e, 'The wrap-up checklist could not be brought up to date');
    }
  }

  /** Keeps the agenda as stored, after every change sent before, for the template. */
  keepPlan(): Promise<string | null> {
    return this.#enqueue(async () => {
      const id = this.view?.meeting.id;
      if (!id) return null;
      try {
        return await keepMeetingPlan(id);
      } catch (e) {
        showError(e, 'The agenda was not kept');
        return null;
      }
    });
  }

  /** Takes the meeting as the core stored it after feedback (the rest of the view stands). */
  tookFeedback(meeting: Meeting): void {
    if (this.view) this.view = { ...this.view, meeting };
  }

  /** Records a keystroke in the notes: saved and read by the coach once typing pauses. */
  notesEdited(): void {
    this.#saveNotes();
  }

  /** Saves the notes if they changed; false when the core refused them. */
  async #flushNotes(): Promise<boolean> {
    if (!this.view || this.finished || this.notes === this.view.meeting.notes) return true;
    const ok = await this.act({ action: 'set_notes', notes: this.notes }, 'The notes were not saved');
    if (ok) void this.#lintNotes();
    return ok;
  }

  async #lintNotes(): Promise<void> {
    const id = this.view?.meeting.id;
    if (!id) return;
    try {
      const text = this.notes;
      const found = await this.#lintLatest.run(() => lintMeetingNotes(id, text));
      if (found !== STALE) this.noteFindings = found;
    } catch (e) {
      showError(e, 'The language coach could not read the notes');
    }
  }

  /** Saves what is pending (the notes) and waits for every change sent; false if one failed. */
  async flush(): Promise<boolean> {
    this.#saveNotes.cancel();
    const ok = await this.#flushNotes();
    await this.#queue;
    return ok;
  }

  dispose(): void {
    this.#clocks.stop();
  }
}
