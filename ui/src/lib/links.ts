// Which typed links may be handed to the system browser.

/** Whether `url` is a link the system browser can be asked to open (http or https only). */
export function isWebLink(url: string | null | undefined): url is string {
  if (!url) return false;
  try {
    const u = new URL(url.trim());
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}
