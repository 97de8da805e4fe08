// Whether the template's guidance and prompts are shown beside each section editor. One
// choice for every section (a facilitator who knows the template hides them all at once),
// kept in the library's settings.
import { getSetting, setSetting } from '../api';

const KEY = 'show_section_guidance';

export const guidance = $state({ shown: true });
let loaded = false;

/** Reads the stored choice once; the default (shown) stands when it cannot be read. */
export async function loadGuidance(): Promise<void> {
  if (loaded) return;
  loaded = true;
  try {
    const v = await getSetting(KEY);
    if (typeof v === 'boolean') guidance.shown = v;
  } catch {
    // Shown by default.
  }
}

export function setGuidanceShown(shown: boolean): void {
  guidance.shown = shown;
  void setSetting(KEY, shown).catch(() => {});
}
