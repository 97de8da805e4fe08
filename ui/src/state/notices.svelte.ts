// Errors shown in the banner. Anything caught in the UI goes through `showError`.
import { toErrorPayload, type ErrorPayload } from '../api';

export interface Notice {
  id: number;
  error: ErrorPayload;
  /** What the app was doing, e.g. "Could not load the library". */
  context: string | null;
}

const MAX_NOTICES = 4;
let nextId = 1;

export const notices: Notice[] = $state([]);

export function showError(e: unknown, context: string | null = null): void {
  const error = toErrorPayload(e);
  // The same error twice in a row (a retried action) is shown once.
  const last = notices[notices.length - 1];
  if (last && last.error.message === error.message && last.context === context) return;
  notices.push({ id: nextId++, error, context });
  if (notices.length > MAX_NOTICES) notices.splice(0, notices.length - MAX_NOTICES);
}

export function dismissNotice(id: number): void {
  const i = notices.findIndex((n) => n.id === id);
  if (i >= 0) notices.splice(i, 1);
}

/** Confirmations ("Fishbone saved to …"), shown briefly and apart from errors. */
export const infos: { id: number; message: string }[] = $state([]);

export function showInfo(message: string, ms = 5000): void {
  const id = nextId++;
  infos.push({ id, message });
  setTimeout(() => {
    const i = infos.findIndex((n) => n.id === id);
    if (i >= 0) infos.splice(i, 1);
  }, ms);
}
