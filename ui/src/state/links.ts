// Opening a link from the app: handed to the system browser, with a failure shown as a notice.
import { openInBrowser } from '../api';
import { showError } from './notices.svelte';

/** Opens `url` (an action item's tracker ticket) in the system browser; a failure is shown. */
export async function openLink(url: string): Promise<void> {
  try {
    await openInBrowser(url);
  } catch (e) {
    showError(e, `Could not open ${url}`);
  }
}
