// Editing a 5-whys chain: its steps are a flat list linked by parent_id (order among siblings
// is list order), so every edit here keeps that shape valid for the core.
import type { WhyStep, WhysChain } from '../api/types';

const uuid = () => crypto.randomUUID();

/** Ids of `stepId` and everything below it. */
export function subtreeIds(steps: readonly WhyStep[], stepId: string): Set<string> {
  const out = new Set([stepId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of steps) {
      if (s.parent_id !== null && out.has(s.parent_id) && !out.has(s.id)) {
        out.add(s.id);
        grew = true;
      }
    }
  }
  return out;
}

/** A new "why" step under `parentId` (null: a first step), placed after the parent's subtree. */
export function addStep(chain: WhysChain, parentId: string | null, question = ''): WhyStep {
  const step: WhyStep = { id: uuid(), parent_id: parentId, question, answer: '', evidence: [] };
  if (parentId === null) {
    chain.steps.push(step);
    return step;
  }
  const below = subtreeIds(chain.steps, parentId);
  let at = -1;
  chain.steps.forEach((s, i) => {
    if (below.has(s.id)) at = i;
  });
  chain.steps.splice(at + 1, 0, step);
  return step;
}

/** The question a follow-up "why" starts with, from the answer above it. */
export function followUpQuestion(answer: string): string {
  const a = answer.trim().replace(/[.!]+$/, '');
  if (!a) return 'Why?';
  const short = a.length > 80 ? `${a.slice(0, 77)}…` : a;
  return `Why? (${short.charAt(0).toLowerCase()}${short.slice(1)})`;
}

/** Removes a step and every step below it; returns how many went. */
export function removeStep(chain: WhysChain, stepId: string): number {
  const gone = subtreeIds(chain.steps, stepId);
  const before = chain.steps.length;
  chain.steps = chain.steps.filter((s) => !gone.has(s.id));
  return before - chain.steps.length;
}

/** Moves a step before (-1) or after (+1) its neighbouring sibling; false when it cannot. */
export function moveStep(chain: WhysChain, stepId: string, by: -1 | 1): boolean {
  const step = chain.steps.find((s) => s.id === stepId);
  if (!step) return false;
  const siblings = chain.steps.filter((s) => s.parent_id === step.parent_id);
  const i = siblings.indexOf(step);
  const other = siblings[i + by];
  if (!other) return false;
  const a = chain.steps.indexOf(step);
  const b = chain.steps.indexOf(other);
  [chain.steps[a], chain.steps[b]] = [chain.steps[b], chain.steps[a]];
  return true;
}

/** A new chain starting from `problem`, with its first "why" ready to answer. */
export function newChain(problem: string): WhysChain {
  const chain: WhysChain = { id: uuid(), problem, steps: [] };
  addStep(chain, null, problem.trim() ? `Why ${problem.trim().replace(/[.?!]+$/, '').replace(/^./, (c) => c.toLowerCase())}?` : 'Why?');
  return chain;
}

/** Depth of every step (0 for first steps). */
export function depths(steps: readonly WhyStep[]): Map<string, number> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const out = new Map<string, number>();
  for (const s of steps) {
    let d = 0;
    let cur = s;
    const seen = new Set<string>();
    while (cur.parent_id && byId.has(cur.parent_id) && !seen.has(cur.id)) {
      seen.add(cur.id);
      cur = byId.get(cur.parent_id)!;
      d += 1;
    }
    out.set(s.id, d);
  }
  return out;
}
