// Splits a text into plain and flagged pieces for the mark layer drawn over an editor.
import type { Finding } from '../api/types';
import { findingRange } from './coach';

/** A run of text and the findings that cover all of it (none for plain text). */
export type Piece = { text: string; findings: Finding[] };

const STRENGTH_RANK: Record<string, number> = { mild: 0, moderate: 1, strong: 2 };

/** The strongest of some findings' strengths ("strong" > "moderate" > "mild"). */
export function strongest(findings: readonly Finding[]): string {
  return findings.reduce((best, f) => ((STRENGTH_RANK[f.strength] ?? 0) > (STRENGTH_RANK[best] ?? 0) ? f.strength : best), 'mild');
}

/**
 * The findings that still point at their phrase in `text`. Findings arrive a moment after the
 * text they were computed from; one whose phrase has moved is dropped until the coach re-reads.
 */
export function current(text: string, findings: readonly Finding[]): { f: Finding; r: [number, number] }[] {
  return findings
    .map((f) => ({ f, r: findingRange(text, f) }))
    .filter(({ f, r }) => r[1] > r[0] && text.slice(r[0], r[1]) === f.text);
}

/**
 * The text cut at every finding's start and end, in order; overlapping findings ("Bob should"
 * and "should have checked") share the piece they both cover. Joined, the pieces give the text
 * back, plus a zero-width space so a trailing newline takes up its line in the layer.
 */
export function pieces(text: string, findings: readonly Finding[]): Piece[] {
  const ranges = current(text, findings);
  const cuts = [...new Set([0, text.length, ...ranges.flatMap(({ r }) => r)])].sort((a, b) => a - b);
  const out: Piece[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const covering = ranges.filter(({ r }) => r[0] <= a && r[1] >= b).map(({ f }) => f);
    const last = out[out.length - 1];
    // Neighbouring plain runs, or runs under the very same findings, are one piece.
    if (last && sameFindings(last.findings, covering)) last.text += text.slice(a, b);
    else out.push({ text: text.slice(a, b), findings: covering });
  }
  out.push({ text: '\u200b', findings: [] });
  return out;
}

function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}
