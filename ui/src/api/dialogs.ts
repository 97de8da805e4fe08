// Native open and save dialogs: the user picks every file Debrief reads or writes.
import { open, save } from '@tauri-apps/plugin-dialog';

/**
 * Answers queued by the end-to-end tests, which click the real buttons but cannot click inside
 * a native dialog: each dialog takes the oldest queued answer instead of opening. Nothing in
 * the app queues answers, so in use every dialog opens.
 */
function queuedAnswer(): { answer: string | string[] | null } | null {
  const queue = (window as { __debriefDialogAnswers?: (string | string[] | null)[] }).__debriefDialogAnswers;
  return queue && queue.length > 0 ? { answer: queue.shift() ?? null } : null;
}

/** Asks where to save; `null` when the user cancels. */
export async function chooseSavePath(title: string, defaultPath: string, extensions: string[]): Promise<string | null> {
  const queued = queuedAnswer();
  if (queued) return typeof queued.answer === 'string' ? queued.answer : null;
  return save({ title, defaultPath, filters: [{ name: extensions.join(', ').toUpperCase(), extensions }] });
}

/** Asks for one file to open; `null` when the user cancels. */
export async function chooseOpenPath(title: string, extensions: string[]): Promise<string | null> {
  const paths = await chooseOpenPaths(title, extensions, false);
  return paths[0] ?? null;
}

/** Asks for files to open (several when `multiple`); empty when the user cancels. */
export async function chooseOpenPaths(title: string, extensions: string[], multiple = true): Promise<string[]> {
  const queued = queuedAnswer();
  const picked = queued
    ? queued.answer
    : await open({ title, multiple, directory: false, filters: [{ name: title, extensions }] });
  if (picked === null) return [];
  return Array.isArray(picked) ? picked : [picked];
}

/** Asks for a folder (to write several files into); `null` when the user cancels. */
export async function chooseFolder(title: string): Promise<string | null> {
  const queued = queuedAnswer();
  if (queued) return typeof queued.answer === 'string' ? queued.answer : null;
  const picked = await open({ title, multiple: false, directory: true });
  return typeof picked === 'string' ? picked : null;
}
