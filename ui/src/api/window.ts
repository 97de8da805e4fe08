// The app window itself.
import { getCurrentWindow } from '@tauri-apps/api/window';

/** Sets the window's title bar text (for example "Debrief — 3 overdue action items"). */
export async function setWindowTitle(title: string): Promise<void> {
  if (!('__TAURI_INTERNALS__' in window)) return;
  await getCurrentWindow().setTitle(title);
}

/** The label of the window this page runs in: `main`, or `audience` for a meeting's shared screen. */
export function windowLabel(): string {
  if (!('__TAURI_INTERNALS__' in window)) return 'main';
  return getCurrentWindow().label;
}

/** Puts this window in full screen, or takes it out; resolves to the new state. */
export async function toggleFullscreen(): Promise<boolean> {
  const w = getCurrentWindow();
  const next = !(await w.isFullscreen());
  await w.setFullscreen(next);
  return next;
}

/** Calls `handler` with whether this window is full screen each time its size changes (the
 *  system's own controls included), until the returned function is called. */
export async function onFullscreenChange(handler: (fullscreen: boolean) => void): Promise<() => void> {
  const w = getCurrentWindow();
  return w.onResized(() => {
    void w.isFullscreen().then(handler, () => {});
  });
}
