// Links that leave the app: an action item's tracker ticket opens in the system browser
// (the opener plugin, allowed for http and https URLs only in capabilities/default.json).
import { openUrl } from '@tauri-apps/plugin-opener';

/** Opens `url` in the system browser; rejects with the reason when it cannot. */
export async function openInBrowser(url: string): Promise<void> {
  await openUrl(url.trim());
}
