// Native open and save dialogs: the user picks every file Debrief reads or writes. The shell
// opens them (see src-tauri/src/dialogs.rs): a command that reads or writes a file accepts
// only a path a dialog returned, so the window cannot name one by itself.
import { pickFolder, pickOpenPaths, pickSavePath } from './commands';

/**
 * Answers queued by the end-to-end tests, which click the real buttons but cannot click inside
 * a native dialog: each dialog takes the oldest queued answer instead of opening. The shell
 * takes an answer only from an app started for those tests; nothing in the app queues them.
 */
function queuedAnswer(): { answer: string | string[] | null } | null {
  const queue = (window as { __debriefDialogAnswers?: (string | string[] | null)[] }).__debriefDialogAnswers;
  return queue && queue.length > 0 ? { answer: queue.shift() ?? null } : null;
}

/** Asks where to save; `null` when the user cancels. */
export async function chooseSavePath(title: string, defaultPath: string, extensions: string[]): Promise<string | null> {
  const queued = queuedAnswer();
  if (queued && typeof queued.answer !== 'string') return null;
  return pickSavePath(title, defaultPath, extensions, queued ? (queued.answer as string) : null);
}

/** Asks for one file to open; `null` when the user cancels. */
export async function chooseOpenPath(title: string, extensions: string[]): Promise<string | null> {
  const paths = await chooseOpenPaths(title, extensions, false);
  return paths[0] ?? null;
}

/** Asks for files to open (several when `multiple`); empty when the user cancels. */
export async function chooseOpenPaths(title: string, extensions: string[], multiple = true): Promise<string[]> {
  const queued = queuedAnswer();
  if (queued && queued.answer === null) return [];
  const answer = queued ? (Array.isArray(queued.answer) ? queued.answer : [queued.answer as string]) : null;
  return pickOpenPaths(title, extensions, multiple, answer);
}

/**
 * Asks for a folder to read postmortems from (`'read'`) or to write files into (`'write'`);
 * `null` when the user cancels. The shell accepts the folder for that use only.
 */
export async function chooseFolder(title: string, use: 'read' | 'write'): Promise<string | null> {
  const queued = queuedAnswer();
  if (queued && typeof queued.answer !== 'string') return null;
  return pickFolder(title, use === 'write', queued ? (queued.answer as string) : null);
}
