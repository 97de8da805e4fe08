// Splits a text into plain and flagged pieces for the highlight layer drawn behind an editor.
import type { Finding } from '../api/types';
import { findingRange } from './coach';

export type Piece = { text: string; finding: Finding | null };

/** The text cut at each finding's range (overlaps keep the first), in order. */
export function pieces(text: string, findings: readonly Finding[]): Piece[] {
  const ranges = findings
    .map((f) => ({ f, r: findingRange(text, f) }))
    .filter(({ r }) => r[1] > r[0])
    .sort((a, b) => a.r[0] - b.r[0]);
  const out: Piece[] = [];
  let at = 0;
  for (const { f, r } of ranges) {
    if (r[0] < at) continue;
    if (r[0] > at) out.push({ text: text.slice(at, r[0]), finding: null });
    out.push({ text: text.slice(r[0], r[1]), finding: f });
    at = r[1];
  }
  if (at < text.length) out.push({ text: text.slice(at), finding: null });
  // A trailing newline needs a character after it to take up its line in the layer.
  out.push({ text: '\u200b', finding: null });
  return out;
}
