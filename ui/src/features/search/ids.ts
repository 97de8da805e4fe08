// Element ids shared by the search box (a combobox) and the result list it controls.
export const SEARCH_INPUT_ID = 'search-box-input';
export const SEARCH_LIST_ID = 'search-results-list';
export const SEARCH_ERROR_ID = 'search-error';
export const optionId = (i: number) => `search-hit-${i}`;

/** Brings the selected hit into view (after keyboard moves, not mouse hovers). */
export function revealOption(i: number): void {
  if (i < 0) return;
  document.getElementById(optionId(i))?.scrollIntoView({ block: 'nearest' });
}

/** True when typing in `el` means writing text ("/" must not steal focus from it). */
export function isTextEntry(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (!(el instanceof HTMLInputElement)) return false;
  return !['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset', 'image'].includes(el.type);
}

export const IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
/** How the focus-search shortcut is written on this platform. */
export const SHORTCUT_LABEL = IS_MAC ? '⌘K' : 'Ctrl K';
