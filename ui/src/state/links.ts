// Opening a link from the app: handed to the system browser, with a failure shown as a notice.
import { openInBrowser } from '../api';
import { isWebLink } from '../lib/links';
import { showError } from './notices.svelte';

/** Opens `url` (an action item's tracker ticket) in the system browser; a failure is shown. */
export async function openLink(url: string): Promise<void> {
  try {
    await openInBrowser(url);
  } catch (e) {
    showError(e, `Could not open ${url}`);
  }
}

/**
 * Links in content (rendered Markdown, pasted text): a web link opens in the system browser,
 * any other link (a local page, `file:`, an anchor) does nothing. Installed once on the
 * document, so no link anywhere can take the window away from the app; the shell's navigation
 * guard is the backstop. Returns the function that removes it.
 */
export function keepLinksInTheBrowser(doc: Document = document): () => void {
  const onClick = (e: MouseEvent) => {
    const target = e.target instanceof Element ? e.target : null;
    const a = target?.closest('a[href]');
    if (!a) return;
    e.preventDefault();
    const href = a.getAttribute('href');
    if (e.type === 'click' && isWebLink(href)) void openLink(href);
  };
  doc.addEventListener('click', onClick, true);
  doc.addEventListener('auxclick', onClick, true);
  return () => {
    doc.removeEventListener('click', onClick, true);
    doc.removeEventListener('auxclick', onClick, true);
  };
}
