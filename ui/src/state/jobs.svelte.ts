// Jobs the window has heard of: started here or not, running or just ended. `runJob` starts one
// and resolves when it ends, so a screen can await an import like any other call while the
// tray shows its progress and offers to cancel it.
import { cancelJob, onJobEvent, startJob, toErrorPayload } from '../api';
import type { JobEvent, JobRequest, JobResult } from '../api';
import { hasEnded, staysShown, jobError } from '../lib/jobs';
import { showError } from './notices.svelte';

/** How long a job that ended well stays in the tray. */
const DONE_SHOWN_MS = 6000;

export const jobs: JobEvent[] = $state([]);

type Waiter = { resolve: (r: JobResult) => void; reject: (e: unknown) => void };
const waiters = new Map<number, Waiter>();
/** Ends heard before `start_job` answered with the id. */
const earlyEnds = new Map<number, JobEvent>();
const endListeners = new Set<(e: JobEvent) => void>();
let listening: Promise<unknown> | null = null;

/** Failures the tray already shows: the job ran and failed or was cancelled. */
const shownInTray = new WeakSet<object>();

function settle(e: JobEvent, w: Waiter) {
  const error = jobError(e);
  if (error) {
    shownInTray.add(error);
    w.reject(error);
  } else if (e.state === 'done') w.resolve(e.result);
}

/** Shows why `runJob` failed, unless the tray already says it (the job ran and failed or was
 * cancelled); a job that could not start at all is shown as an error. */
export function showJobError(e: unknown, context: string): void {
  if (typeof e === 'object' && e !== null && shownInTray.has(e)) return;
  showError(e, context);
}

function apply(e: JobEvent) {
  const i = jobs.findIndex((j) => j.id === e.id);
  if (i >= 0) jobs[i] = e;
  else jobs.push(e);
  if (!hasEnded(e)) return;
  const w = waiters.get(e.id);
  if (w) {
    waiters.delete(e.id);
    settle(e, w);
  } else {
    earlyEnds.set(e.id, e);
  }
  for (const l of endListeners) l(e);
  if (e.state === 'done' && !staysShown(e.result)) setTimeout(() => dismissJob(e.id), DONE_SHOWN_MS);
}

/** Starts listening for job events (once). */
export function listenForJobs(): Promise<unknown> {
  listening ??= onJobEvent(apply).catch((e) => {
    listening = null;
    throw e;
  });
  return listening;
}

/** Starts `request` and resolves with its result when it ends; rejects with its error, or with
 * `{ code: 'cancelled' }` when the user stopped it. */
export async function runJob(request: JobRequest): Promise<JobResult> {
  await listenForJobs();
  const id = await startJob(request);
  return new Promise<JobResult>((resolve, reject) => {
    const early = earlyEnds.get(id);
    if (early) {
      earlyEnds.delete(id);
      settle(early, { resolve, reject });
    } else {
      waiters.set(id, { resolve, reject });
    }
  });
}

/** Calls `listener` whenever any job ends; returns the function that stops it. */
export function onJobEnd(listener: (e: JobEvent) => void): () => void {
  endListeners.add(listener);
  return () => endListeners.delete(listener);
}

export async function cancel(id: number): Promise<void> {
  try {
    await cancelJob(id);
  } catch (e) {
    // The job ended meanwhile or the core is gone; the tray shows what it last heard.
    console.warn('cancel_job', toErrorPayload(e));
  }
}

export function dismissJob(id: number): void {
  const i = jobs.findIndex((j) => j.id === id);
  if (i >= 0) jobs.splice(i, 1);
  earlyEnds.delete(id);
}
