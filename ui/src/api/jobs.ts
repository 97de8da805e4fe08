// Long work in the background (imports, exports, reindex, the sample): the core runs it off the
// window's thread (`startJob`, `cancelJob` in commands.ts) and reports through `debrief://job`
// events.
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { JobEvent } from '../bindings/JobEvent';

/** The event name the core emits job progress and ends under (commands.rs `JOB_EVENT`). */
export const JOB_EVENT = 'debrief://job';

/** Calls `handler` with every job event until the returned function is called. */
export function onJobEvent(handler: (e: JobEvent) => void): Promise<UnlistenFn> {
  return listen<JobEvent>(JOB_EVENT, (e) => handler(e.payload));
}
