// Native open and save dialogs: the user picks every file Debrief reads or writes.
import { open, save } from '@tauri-apps/plugin-dialog';

/** Asks where to save; `null` when the user cancels. */
export async function chooseSavePath(title: string, defaultPath: string, extensions: string[]): Promise<string | null> {
  return save({ title, defaultPath, filters: [{ name: extensions.join(', ').toUpperCase(), extensions }] });
}

/** Asks for one file to open; `null` when the user cancels. */
export async function chooseOpenPath(title: string, extensions: string[]): Promise<string | null> {
  const picked = await open({ title, multiple: false, directory: false, filters: [{ name: title, extensions }] });
  return typeof picked === 'string' ? picked : null;
}
