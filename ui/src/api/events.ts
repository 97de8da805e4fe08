// Events the core sends to every window: a meeting changed (commands.rs `MEETING_EVENT`, with
// the meeting's id) and a postmortem was saved (`POSTMORTEM_EVENT`, with its id). The
// audience window follows the presenter's meeting through them.
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

export const MEETING_EVENT = 'debrief://meeting';
export const POSTMORTEM_EVENT = 'debrief://postmortem';

/** Calls `handler` with the id of each meeting that changes, until the returned function is called. */
export function onMeetingChanged(handler: (meetingId: string) => void): Promise<UnlistenFn> {
  return listen<string>(MEETING_EVENT, (e) => handler(e.payload));
}

/** Calls `handler` with the id of each postmortem saved, until the returned function is called. */
export function onPostmortemSaved(handler: (postmortemId: string) => void): Promise<UnlistenFn> {
  return listen<string>(POSTMORTEM_EVENT, (e) => handler(e.payload));
}

export const AUDIENCE_EVENT = 'debrief://audience';

/** Calls `handler` with whether the audience window is open each time it opens or closes. */
export function onAudienceWindow(handler: (open: boolean) => void): Promise<UnlistenFn> {
  return listen<boolean>(AUDIENCE_EVENT, (e) => handler(e.payload));
}

export const MENU_EVENT = 'debrief://menu';

/** A menu item the user chose (src-tauri/src/menu.rs): its action, and for a recent library its place in the list. */
export interface MenuChoice {
  action: string;
  index: number | null;
}

/** Calls `handler` with each menu item chosen in the native menu, until the returned function is called. */
export function onMenu(handler: (choice: MenuChoice) => void): Promise<UnlistenFn> {
  return listen<MenuChoice>(MENU_EVENT, (e) => handler(e.payload));
}

export const OPENED_FILES_EVENT = 'debrief://opened-files';

/** Calls `handler` each time files are opened with Debrief from the file manager (take them with `takeOpenedFiles`). */
export function onOpenedFiles(handler: () => void): Promise<UnlistenFn> {
  return listen<null>(OPENED_FILES_EVENT, () => handler());
}
