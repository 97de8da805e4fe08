// Long work in the background (imports, exports, reindex, the sample): the core runs it off the
// window's thread and reports through `debrief://job` events; `cancel_job` stops it.
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { call } from './call';
import type { JobEvent } from '../bindings/JobEvent';
import type { JobRequest } from '../bindings/JobRequest';

/** The event name the core emits job progress and ends under (commands.rs `JOB_EVENT`). */
export const JOB_EVENT = 'debrief://job';

/** Starts `request`; resolves with the job's id at once, long before the work ends. */
export const startJob = (request: JobRequest) => call<number>('start_job', { request });

/** Asks job `id` to stop; false when it already ended. */
export const cancelJob = (id: number) => call<boolean>('cancel_job', { id });

/** Calls `handler` with every job event until the returned function is called. */
export function onJobEvent(handler: (e: JobEvent) => void): Promise<UnlistenFn> {
  return listen<JobEvent>(JOB_EVENT, (e) => handler(e.payload));
}
