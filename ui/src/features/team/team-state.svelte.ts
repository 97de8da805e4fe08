// The team library as the whole window sees it: its status (for the top bar's badge and the
// team screen), the sync in progress, and the automatic sync's timer.
import { teamStatus, teamSync, type SyncReport, type TeamStatus } from '../../api';
import { LatestOnly, STALE } from '../../lib/latest';
import { showError } from '../../state/notices.svelte';

export class TeamState {
  status = $state<TeamStatus | null>(null);
  syncing = $state(false);
  #timer: ReturnType<typeof setInterval> | null = null;
  #timerMinutes = 0;
  /** Saves the page being edited before a sync (false: it could not; the sync waits). */
  beforeSync: (() => Promise<boolean>) | null = null;
  /** Told after a sync that took something in, so the screens reload. */
  afterSync: ((report: SyncReport) => void) | null = null;
  /**
   * Only the newest reading is shown: a slow one (asking the remote) that started before a
   * sync ended must not put back the counts from before the sync.
   */
  #latest = new LatestOnly();

  /** Reads the status; with `fetch`, the remote is asked what there is to receive. */
  async refresh(fetch = false): Promise<void> {
    try {
      const status = await this.#latest.run(() => teamStatus(fetch));
      if (status === STALE) {
        // A newer reading answered first, perhaps from before this one's fetch updated what
        // the remote has: read again (locally) so what was fetched is shown.
        if (fetch) await this.refresh(false);
        return;
      }
      this.status = status;
      this.#schedule(status.url ? status.interval_minutes : 0);
    } catch (e) {
      showError(e, 'Could not read the team library’s state');
    }
  }

  /** Syncs now; the report, or null when it could not run. Errors are shown. */
  async sync(): Promise<SyncReport | null> {
    if (this.syncing || !this.status?.url) return null;
    this.syncing = true;
    try {
      if (this.beforeSync && !(await this.beforeSync())) return null;
      const report = await teamSync();
      if (report.received.length > 0) this.afterSync?.(report);
      return report;
    } catch (e) {
      showError(e, 'Could not sync the team library');
      return null;
    } finally {
      this.syncing = false;
      await this.refresh();
    }
  }

  /** Sets the automatic sync's timer to `minutes` (0: none). */
  #schedule(minutes: number): void {
    if (minutes === this.#timerMinutes) return;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#timerMinutes = minutes;
    if (minutes > 0) this.#timer = setInterval(() => void this.sync(), minutes * 60_000);
  }
}

export const team = new TeamState();
