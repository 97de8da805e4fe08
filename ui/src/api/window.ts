// The app window itself.
import { getCurrentWindow } from '@tauri-apps/api/window';

/** Sets the window's title bar text (for example "Debrief — 3 overdue action items"). */
export async function setWindowTitle(title: string): Promise<void> {
  if (!('__TAURI_INTERNALS__' in window)) return;
  await getCurrentWindow().setTitle(title);
}
