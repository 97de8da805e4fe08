// Parsing of the editor's form fields into the document's values.

/**
 * Adds the names typed in `raw` (comma-separated) to `list`: trimmed, empty ones dropped,
 * duplicates (case-insensitive) skipped.
 */
export function addTokens(list: readonly string[], raw: string): string[] {
  const out = [...list];
  for (const part of raw.split(',')) {
    const name = part.trim().replace(/\s+/g, ' ');
    if (name && !out.some((x) => x.toLowerCase() === name.toLowerCase())) out.push(name);
  }
  return out;
}

export function removeToken(list: readonly string[], index: number): string[] {
  return list.filter((_, i) => i !== index);
}

/** Suggestions not yet chosen, matching what is typed (case-insensitive substring). */
export function suggestionsFor(all: readonly string[], chosen: readonly string[], typed: string): string[] {
  const t = typed.trim().toLowerCase();
  const taken = new Set(chosen.map((c) => c.toLowerCase()));
  return all.filter((s) => !taken.has(s.toLowerCase()) && (t === '' || s.toLowerCase().includes(t)));
}

/** A number input's text: empty means null; anything unparsable is `undefined` (invalid). */
export function parseNumber(text: string, opts: { integer?: boolean } = {}): number | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t.replace(',', '.'));
  if (!Number.isFinite(n)) return undefined;
  if (opts.integer && !Number.isInteger(n)) return undefined;
  return n;
}

/** Optional text: blank means null. */
export function optionalText(text: string): string | null {
  return text.trim() === '' ? null : text;
}

export function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(new Date(`${s}T00:00:00Z`).getTime());
}
