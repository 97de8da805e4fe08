// The document state of the postmortem page: the postmortem being edited and what the core
// derives from it (durations, revisions, the review requirement), the autosave, the language
// coach's findings and the similar incidents. One instance lives in PostmortemPage; the panels
// edit `pm` through bindings and call `edited()` after each change.
//
// Every answer the core gives as a `PostmortemView` (opening, autosave, a status change) goes
// through `apply`, so the three cannot drift apart.
import {
  deletePostmortem,
  getPostmortem,
  lintPostmortem,
  mergeTimelineEvents,
  savePostmortem,
  similarPostmortems,
  splitValidation,
  toErrorPayload,
  type Durations,
  type ErrorPayload,
  type Finding,
  type ImportedEvent,
  type Postmortem,
  type PostmortemView,
  type Requirement,
  type ReviewStatus,
  type SimilarHit,
} from '../../api';
import { AutoSaver, type SaveState } from '../../lib/autosave';
import { applyFinding } from '../../lib/coach';
import { debounce } from '../../lib/debounce';
import { LatestOnly, STALE } from '../../lib/latest';
import { mergeSaved } from '../../lib/merge';
import { showError } from '../../state/notices.svelte';

/** What the page asks of the core (and how it reports errors); tests pass their own. */
export interface PageServices {
  getPostmortem: (id: string) => Promise<PostmortemView>;
  /**
   * Saves over the version the page has (`writes`, from the last view); refused with `changed`
   * otherwise. `continues`: the page saved before and goes on editing (one revision a session).
   */
  savePostmortem: (pm: Postmortem, writes: number, continues: boolean) => Promise<PostmortemView>;
  deletePostmortem: (id: string) => Promise<unknown>;
  lintPostmortem: (pm: Postmortem) => Promise<Finding[]>;
  similarPostmortems: (id: string, limit: number) => Promise<SimilarHit[]>;
  mergeTimelineEvents: (pm: Postmortem, events: ImportedEvent[]) => Promise<Postmortem>;
  showError: (e: unknown, context: string | null) => void;
}

const CORE: PageServices = {
  getPostmortem,
  savePostmortem,
  deletePostmortem,
  lintPostmortem,
  similarPostmortems,
  mergeTimelineEvents,
  showError,
};

/** Quiet time after the last edit before the autosave. */
export const SAVE_DELAY_MS = 700;
/** Quiet time after the last edit before the language coach re-reads the document. */
export const LINT_DELAY_MS = 350;
/** How many similar incidents the side panel lists. */
export const SIMILAR_LIMIT = 5;

/** Source id -> the id of the factor or action item made from it (the panels link to them). */
function sourceMap<T extends { id: string }>(items: readonly T[], source: (item: T) => string | null): Map<string, string> {
  return new Map(items.flatMap((item) => (source(item) ? [[source(item) as string, item.id] as const] : [])));
}

export class PostmortemPageState {
  pm = $state<Postmortem | null>(null);
  durations = $state<Durations | null>(null);
  revisions = $state(0);
  requirement = $state<Requirement | null>(null);
  loadError = $state<ErrorPayload | null>(null);
  saveState = $state<SaveState>({ kind: 'saved', at: null });
  /** The language coach's findings for the document as last read. */
  findings = $state<Finding[]>([]);
  similar = $state<SimilarHit[] | null>(null);
  /** A status change is being saved. */
  statusBusy = $state(false);
  /** Why the last status change was refused. */
  statusError = $state<ErrorPayload | null>(null);
  deleting = $state(false);

  /** The field the last failed save names, if any. */
  readonly invalidField = $derived(this.saveState.kind === 'error' ? splitValidation(this.saveState.error).field : null);
  /** Section key -> heading (the coach labels its findings with them). */
  readonly headings = $derived(Object.fromEntries((this.pm?.sections ?? []).map((s) => [s.key, s.heading])));
  readonly factorSteps = $derived(sourceMap(this.pm?.contributing_factors ?? [], (f) => f.source_step_id));
  readonly factorCauses = $derived(sourceMap(this.pm?.contributing_factors ?? [], (f) => f.source_cause_id));
  readonly actionSteps = $derived(sourceMap(this.pm?.action_items ?? [], (a) => a.source_step_id));
  readonly actionFactors = $derived(sourceMap(this.pm?.action_items ?? [], (a) => a.source_factor_id));

  /** How many times the stored postmortem had been written when this page last got it. */
  #writes = 0;
  /**
   * The page's autosaves continue its editing session (it saved, and nothing since made it
   * start over): the core keeps one revision a session. Set again by anything that is not
   * the page's own autosave.
   */
  #continues = false;
  #id: () => string;
  #core: PageServices;
  #saver: AutoSaver<PostmortemView>;
  #similarLatest = new LatestOnly();
  #lintLatest = new LatestOnly();
  #lintLater = debounce(() => void this.relint(), LINT_DELAY_MS);
  /** Leaving was refused once because a save failed; the next attempt may leave. */
  #leaveDespiteFailure = false;

  /** `id` is read when the core is asked, so it is always the page's current one. */
  constructor(id: () => string, core: Partial<PageServices> = {}) {
    this.#id = id;
    this.#core = { ...CORE, ...core };
    this.#saver = new AutoSaver<PostmortemView>({
      delayMs: SAVE_DELAY_MS,
      save: () => this.#core.savePostmortem(this.#snapshot(), this.#writes, this.#continues),
      apply: (view) => this.apply(view),
      // The next save must name the version this one stored, or it would be refused as
      // stale (see `save_edit`) whenever the user typed during a save.
      adopt: (view) => {
        this.#writes = view.writes;
        this.#continues = true;
      },
      onState: (s) => {
        this.saveState = s;
        if (s.kind === 'saved') this.#leaveDespiteFailure = false;
        // A save can change what this postmortem resembles.
        if (s.kind === 'saved' && s.at !== null) void this.loadSimilar();
      },
    });
  }

  #snapshot(): Postmortem {
    return $state.snapshot(this.pm) as Postmortem;
  }

  /**
   * Takes what the core answered: the saved document (kept as typed where it differs only by
   * the core's normalisation, so the text under the cursor does not jump) and what it derived.
   */
  apply(view: PostmortemView): void {
    this.pm = this.pm ? mergeSaved(this.#snapshot(), view.postmortem) : view.postmortem;
    this.durations = view.durations;
    this.revisions = view.revisions;
    this.#writes = view.writes;
    this.requirement = view.requirement;
  }

  /** Takes a version the core changed itself (a conflict settled): shown as it is. */
  replace(view: PostmortemView): void {
    this.#continues = false;
    this.pm = view.postmortem;
    this.durations = view.durations;
    this.revisions = view.revisions;
    this.#writes = view.writes;
    this.requirement = view.requirement;
  }

  /**
   * The last save was refused because the postmortem was changed elsewhere (another window,
   * the command line, a team sync) after this page opened it.
   */
  get changedElsewhere(): boolean {
    return this.saveState.kind === 'error' && this.saveState.error.code === 'changed';
  }

  /**
   * After a `changed` refusal: shows the stored version; the edits not saved are dropped, but
   * only once that version is in hand (a failed load leaves them, still unsaved). A save in
   * flight is waited for, so the version shown is the latest.
   */
  async takeStored(): Promise<void> {
    try {
      await this.#saver.idle();
      const stored = await this.#core.getPostmortem(this.#id());
      this.#saver.discard();
      this.replace(stored);
    } catch (e) {
      this.#core.showError(e, 'Could not load the stored version');
    }
  }

  /** After a `changed` refusal: saves this page's version over the stored one on purpose. */
  async keepMine(): Promise<void> {
    if (!this.pm) return;
    try {
      const stored = await this.#core.getPostmortem(this.#id());
      if (!this.pm) return;
      this.#writes = stored.writes;
      // Saving over someone else's version on purpose: theirs is kept as a revision.
      this.#continues = false;
      this.edited();
      await this.flush();
    } catch (e) {
      this.#core.showError(e, 'Could not keep this version');
    }
  }

  /**
   * After the core itself wrote this postmortem (a finished meeting added its attendees): the
   * page takes the stored version's stamp, and `mirror` makes the same change to the page's
   * copy (true when it changed anything), so the next save (of anything typed meanwhile)
   * goes over that version and keeps the change.
   */
  async adoptStored(mirror: (pm: Postmortem) => boolean): Promise<void> {
    try {
      const view = await this.#core.getPostmortem(this.#id());
      this.#writes = view.writes;
      this.#continues = false;
      this.revisions = view.revisions;
      if (this.pm && mirror(this.pm)) this.edited();
    } catch (e) {
      this.#core.showError(e, 'Could not read the postmortem again');
    }
  }

  /** Opens the postmortem; a failure is kept in `loadError`. */
  async load(): Promise<void> {
    try {
      this.apply(await this.#core.getPostmortem(this.#id()));
      void this.relint();
    } catch (e) {
      this.loadError = toErrorPayload(e);
    }
  }

  /** Records an edit: the autosave and the coach run once the typing pauses. */
  edited(): void {
    this.#saver.edited();
    this.#lintLater();
  }

  /** Saves everything now. Resolves to true when nothing is left unsaved. */
  flush(): Promise<boolean> {
    return this.#saver.flush();
  }

  /** Refreshes "Similar incidents"; an older answer never replaces a newer one. */
  async loadSimilar(): Promise<void> {
    try {
      const r = await this.#similarLatest.run(() => this.#core.similarPostmortems(this.#id(), SIMILAR_LIMIT));
      if (r !== STALE) this.similar = r;
    } catch (e) {
      this.similar = this.similar ?? [];
      // A postmortem that cannot be opened says so already.
      if (toErrorPayload(e).code !== 'not_found') this.#core.showError(e, 'Could not find similar incidents');
    }
  }

  /** The language coach reads the document now. */
  async relint(): Promise<void> {
    if (!this.pm) return;
    try {
      const r = await this.#lintLatest.run(() => this.#core.lintPostmortem(this.#snapshot()));
      if (r !== STALE) this.findings = r;
    } catch (e) {
      this.#core.showError(e, 'The language coach could not read this postmortem');
    }
  }

  findingsFor(field: string): Finding[] {
    return this.findings.filter((f) => f.field === field);
  }

  /** One click: the suggested wording replaces the phrase, and the change is saved. */
  applySuggestion(f: Finding): void {
    if (!this.pm) return;
    if (applyFinding(this.pm, f)) this.edited();
    void this.relint();
  }

  /**
   * Status changes save at once, so a refusal (no reviewer, required sections empty) is
   * shown where the user clicked (`statusError`) and the status goes back.
   */
  async changeStatus(next: ReviewStatus): Promise<void> {
    if (!this.pm) return;
    this.statusBusy = true;
    this.statusError = null;
    try {
      if (!(await this.#saver.flush())) {
        throw this.#saver.state.kind === 'error' ? this.#saver.state.error : new Error('not saved');
      }
      const pm = this.pm;
      const before = pm.status;
      pm.status = next;
      try {
        // A status change is an act of its own: it keeps the version it replaces.
        this.apply(await this.#core.savePostmortem(this.#snapshot(), this.#writes, false));
      } catch (e) {
        if (this.pm) this.pm.status = before;
        throw e;
      }
    } catch (e) {
      this.statusError = toErrorPayload(e);
    } finally {
      this.statusBusy = false;
    }
  }

  /** Runs a core operation that adds a factor or an action item, and takes its lists. */
  async derive(op: (pm: Postmortem, sourceId: string) => Promise<Postmortem>, sourceId: string, what: string): Promise<void> {
    if (!this.pm) return;
    try {
      const next = await op(this.#snapshot(), sourceId);
      this.pm.contributing_factors = next.contributing_factors;
      this.pm.action_items = next.action_items;
      this.edited();
    } catch (e) {
      this.#core.showError(e, `Could not make ${what}`);
    }
  }

  /**
   * Adds imported events to the timeline (with the key markers it lacks). Resolves to false
   * when there is no document; a refusal is thrown. Call `flush` next to save at once.
   */
  async mergeImported(events: ImportedEvent[]): Promise<boolean> {
    if (!this.pm) return false;
    const merged = await this.#core.mergeTimelineEvents(this.#snapshot(), events);
    if (!this.pm) return false;
    this.pm.timeline = merged.timeline;
    this.edited();
    return true;
  }

  /** Before leaving: save what is pending. A failed save keeps the user here once. */
  async guard(): Promise<boolean> {
    if (await this.#saver.flush()) return true;
    if (this.#leaveDespiteFailure) return true;
    this.#leaveDespiteFailure = true;
    const message = this.#saver.state.kind === 'error' ? this.#saver.state.error.message : 'the last changes were not saved';
    this.#core.showError(
      { code: 'unsaved', message: `${message}. Fix it, or go back again to leave without these changes.` },
      'Not saved',
    );
    return false;
  }

  /** Deletes the postmortem; resolves to true when it is gone (nothing is saved after that). */
  async delete(): Promise<boolean> {
    if (!this.pm) return false;
    this.deleting = true;
    try {
      await this.#core.deletePostmortem(this.pm.id);
      this.#saver.dispose();
      return true;
    } catch (e) {
      this.#core.showError(e, 'Could not delete the postmortem');
      this.deleting = false;
      return false;
    }
  }

  /** Stops the timers; answers that arrive later are no longer applied. */
  dispose(): void {
    this.#lintLater.cancel();
    this.#saver.dispose();
  }
}
