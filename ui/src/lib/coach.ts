// The language coach's findings in the editor: converting the core's UTF-8 byte offsets to
// JavaScript string indices, reading and writing the field a finding points at, and applying
// a suggested replacement.
import type { Finding } from '../api/types';
import type { Postmortem } from '../api/types';

const encoder = new TextEncoder();

/** The UTF-16 index in `text` of UTF-8 byte offset `byte` (clamped to the text). */
export function byteToIndex(text: string, byte: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byte) {
    const code = text.codePointAt(i)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    i += code >= 0x10000 ? 2 : 1;
  }
  return i;
}

/** The [start, end) string indices of a finding in its field's text. */
export function findingRange(text: string, f: Pick<Finding, 'start' | 'end'>): [number, number] {
  return [byteToIndex(text, f.start), byteToIndex(text, f.end)];
}

/** Byte length of `text` in UTF-8 (what the core counts in). */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

type Step = string | number;

/** `sections.summary` -> ['sections', {key}], `whys[0].steps[2].answer` -> ['whys', 0, 'steps', 2, 'answer']. */
export function parsePath(path: string): Step[] {
  const out: Step[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [];
    out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** Walks to the object holding the last step; sections are addressed by key, not index. */
function locate(pm: Postmortem, path: string): { holder: Record<string, unknown>; prop: string } | null {
  const steps = parsePath(path);
  if (steps.length === 0) return null;
  if (steps[0] === 'sections' && steps.length === 2 && typeof steps[1] === 'string') {
    const section = pm.sections.find((s) => s.key === steps[1]);
    return section ? { holder: section as unknown as Record<string, unknown>, prop: 'body' } : null;
  }
  let cur: unknown = pm;
  for (const step of steps.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as Record<string | number, unknown>)[step];
  }
  const last = steps[steps.length - 1];
  if (cur === null || typeof cur !== 'object' || typeof last !== 'string') return null;
  return { holder: cur as Record<string, unknown>, prop: last };
}

/** The text of the field a finding points at, or null when the path no longer exists. */
export function fieldText(pm: Postmortem, path: string): string | null {
  const at = locate(pm, path);
  if (!at) return null;
  const v = at.holder[at.prop];
  return typeof v === 'string' ? v : null;
}

const SENTENCE_START = /(^|[.!?]\s+|\n\s*)$/;

/**
 * `text` with the finding's phrase replaced by its suggested wording, or null when the
 * finding has no replacement or its phrase is no longer where the coach found it. A phrase
 * that opened a sentence keeps the capital; an empty replacement ("Obviously, ") takes the
 * phrase out with the space or comma it leaves behind.
 */
export function replaceFinding(text: string, f: Pick<Finding, 'start' | 'end' | 'text' | 'replacement'>): string | null {
  if (f.replacement === null) return null;
  const [start, end] = findingRange(text, f);
  if (end <= start || text.slice(start, end) !== f.text) return null;
  let before = text.slice(0, start);
  let after = text.slice(end);
  const opensSentence = SENTENCE_START.test(before);
  const capital = /^\p{Lu}/u.test(f.text);
  let replacement = f.replacement;
  if (replacement === '') {
    if (opensSentence) {
      after = after.replace(/^[,;:]?[ \t]*/, '');
      if (capital) after = upperFirst(after);
    } else if (/[ \t]$/.test(before) && /^([ \t]|[.,;:!?]|$)/.test(after)) {
      before = before.slice(0, -1);
    }
    return before + after;
  }
  if (opensSentence && capital) replacement = upperFirst(replacement);
  else if (!opensSentence && !capital) replacement = lowerFirst(replacement);
  return before + replacement + after;
}

const upperFirst = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);
const lowerFirst = (s: string) => (s && !/^\p{Lu}{2}/u.test(s) ? s[0].toLowerCase() + s.slice(1) : s);

/**
 * Replaces the finding's phrase with its replacement, in place. Returns false (and changes
 * nothing) when the finding has no replacement or the text moved since it was found.
 */
export function applyFinding(pm: Postmortem, f: Finding): boolean {
  const at = locate(pm, f.field);
  if (!at) return false;
  const text = at.holder[at.prop];
  if (typeof text !== 'string') return false;
  const next = replaceFinding(text, f);
  if (next === null) return false;
  at.holder[at.prop] = next;
  return true;
}

/** Human name of a field path: "Summary", "Timeline event 3", "5 whys 1, step 2 answer". */
export function fieldLabel(path: string, headings: Record<string, string>): string {
  const steps = parsePath(path);
  const n = (i: number) => Number(steps[i]) + 1;
  switch (steps[0]) {
    case 'title':
      return 'Title';
    case 'sections':
      return headings[String(steps[1])] ?? String(steps[1]);
    case 'timeline':
      return `Timeline event ${n(1)}`;
    case 'whys':
      return steps[2] === 'problem' ? `5 whys ${n(1)}: problem` : `5 whys ${n(1)}, step ${n(3)} ${steps[4]}`;
    case 'fishbones':
      return steps[2] === 'effect' ? 'Fishbone effect' : 'Fishbone cause';
    case 'contributing_factors':
      return `Contributing factor ${n(1)}`;
    case 'action_items':
      return `Action item ${n(1)} ${steps[2] ?? ''}`.trim();
    default:
      return path;
  }
}
