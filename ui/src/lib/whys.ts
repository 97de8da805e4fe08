// Editing a 5-whys chain: its steps are a flat list linked by parent_id (order among siblings
// is list order), so every edit here keeps that shape valid for the core.
import type { WhyStep, WhysChain } from '../api/types';
import { buildWhyTree, type WhyNode } from './tree';

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

/** "The pool" -> "the pool", "A refactor" -> "a refactor"; "DNS", "PagerDuty", "I" and "iOS" stay. */
export function lowerFirst(s: string): string {
  const word = s.split(/\s/, 1)[0];
  if (word === 'I' || /[A-Z]/.test(word.slice(1)) || !/^[A-Z]/.test(word)) return s;
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** The question a follow-up "why" starts with, from the answer above it. */
export function followUpQuestion(answer: string): string {
  const a = answer.trim().replace(/[.!]+$/, '');
  if (!a) return 'Why?';
  const short = a.length > 80 ? `${a.slice(0, 77)}…` : a;
  return `Why? (${lowerFirst(short)})`;
}

/** Removes a step and every step below it; returns how many went. */
export function removeStep(chain: WhysChain, stepId: string): number {
  const gone = subtreeIds(chain.steps, stepId);
  const before = chain.steps.length;
  chain.steps = chain.steps.filter((s) => !gone.has(s.id));
  return before - chain.steps.length;
}

/**
 * Moves a step (with everything below it) before (-1) or after (+1) its neighbouring sibling;
 * false when it cannot. The list comes back in tree order (each step after its parent, a
 * subtree kept together), so "step N" in other views follows what the builder shows.
 */
export function moveStep(chain: WhysChain, stepId: string, by: -1 | 1): boolean {
  const step = chain.steps.find((s) => s.id === stepId);
  if (!step) return false;
  const roots = buildWhyTree(chain.steps);
  const find = (nodes: WhyNode[]): WhyNode[] | null => {
    for (const n of nodes) {
      if (n.step.id === stepId) return nodes;
      const inner = find(n.children);
      if (inner) return inner;
    }
    return null;
  };
  const siblings = find(roots);
  if (!siblings) return false;
  const i = siblings.findIndex((n) => n.step.id === stepId);
  const j = i + by;
  if (j < 0 || j >= siblings.length) return false;
  [siblings[i], siblings[j]] = [siblings[j], siblings[i]];
  const out: WhyStep[] = [];
  const walk = (nodes: WhyNode[]) => {
    for (const n of nodes) {
      out.push(n.step);
      walk(n.children);
    }
  };
  walk(roots);
  chain.steps = out;
  return true;
}

/** Adds another cause beside `stepId` (same parent, same question), right after its subtree. */
export function addSibling(chain: WhysChain, stepId: string): WhyStep | null {
  const step = chain.steps.find((s) => s.id === stepId);
  if (!step) return null;
  const sibling: WhyStep = { id: uuid(), parent_id: step.parent_id, question: step.question, answer: '', evidence: [] };
  const below = subtreeIds(chain.steps, stepId);
  let at = -1;
  chain.steps.forEach((s, i) => {
    if (below.has(s.id)) at = i;
  });
  chain.steps.splice(at + 1, 0, sibling);
  return sibling;
}

/**
 * Where the keyboard goes once `stepId` is removed: its parent, else the sibling before it,
 * else the one after it; null when the chain will be empty.
 */
export function focusAfterRemoval(chain: WhysChain, stepId: string): string | null {
  const step = chain.steps.find((s) => s.id === stepId);
  if (!step) return null;
  if (step.parent_id && chain.steps.some((s) => s.id === step.parent_id)) return step.parent_id;
  const siblings = chain.steps.filter((s) => s.parent_id === step.parent_id);
  const i = siblings.indexOf(step);
  return (siblings[i - 1] ?? siblings[i + 1])?.id ?? null;
}

/** What a key press in a step's question or answer does. */
export type WhyKeyCommand = 'next' | 'sibling' | 'remove' | 'to-answer' | 'move-up' | 'move-down' | null;

export interface KeyLike {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/**
 * The builder's keys. In an answer: Enter asks the next why under it (Shift+Enter is a new
 * line), Alt+Enter adds another cause beside it. In a question: Enter goes to the answer.
 * Both: Alt+Up/Down reorder among siblings; Ctrl+Backspace or Ctrl+Delete in an empty step
 * (nothing in the field, and for the question nothing in the answer either) removes it.
 */
export function whyKeyCommand(field: 'question' | 'answer', e: KeyLike, step: Pick<WhyStep, 'question' | 'answer'>): WhyKeyCommand {
  const mod = e.ctrlKey || e.metaKey;
  if (e.key === 'Enter') {
    if (e.altKey) return 'sibling';
    if (e.shiftKey || mod) return null;
    return field === 'answer' ? 'next' : 'to-answer';
  }
  if (e.altKey && !mod && e.key === 'ArrowUp') return 'move-up';
  if (e.altKey && !mod && e.key === 'ArrowDown') return 'move-down';
  if (mod && (e.key === 'Backspace' || e.key === 'Delete')) {
    const empty = field === 'answer' ? step.answer.trim() === '' : step.question.trim() === '' && step.answer.trim() === '';
    return empty ? 'remove' : null;
  }
  return null;
}

/** "5 whys 2 · why 3": the chain (1-based) and the step's depth in it (1-based); null when gone. */
export function stepPlace(chains: readonly WhysChain[], stepId: string): { chain: number; depth: number } | null {
  for (const [ci, chain] of chains.entries()) {
    if (chain.steps.some((s) => s.id === stepId)) return { chain: ci + 1, depth: (depths(chain.steps).get(stepId) ?? 0) + 1 };
  }
  return null;
}

/** The first question of a chain: "Why checkout returned 502s?" from its problem statement. */
export function firstQuestion(problem: string): string {
  const p = problem.trim().replace(/[.?!]+$/, '');
  return p ? `Why ${lowerFirst(p)}?` : 'Why?';
}

/** A new chain starting from `problem`, with its first "why" ready to answer. */
export function newChain(problem: string): WhysChain {
  const chain: WhysChain = { id: uuid(), problem, steps: [] };
  addStep(chain, null, firstQuestion(problem));
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
