import type { WhyStep } from '../api/types';

export interface WhyNode {
  step: WhyStep;
  children: WhyNode[];
}

/**
 * Builds the tree of a 5-whys chain from its flat steps (linked by `parent_id`), keeping the
 * stored order among siblings. Steps whose parent is missing become roots rather than vanish.
 * Cycles are broken (a step is never placed twice).
 */
export function buildWhyTree(steps: readonly WhyStep[]): WhyNode[] {
  const ids = new Set(steps.map((s) => s.id));
  const byParent = new Map<string | null, WhyStep[]>();
  for (const s of steps) {
    const parent = s.parent_id !== null && ids.has(s.parent_id) && s.parent_id !== s.id ? s.parent_id : null;
    const list = byParent.get(parent) ?? [];
    list.push(s);
    byParent.set(parent, list);
  }
  const placed = new Set<string>();
  const build = (parent: string | null): WhyNode[] => {
    const nodes: WhyNode[] = [];
    for (const step of byParent.get(parent) ?? []) {
      if (placed.has(step.id)) continue;
      placed.add(step.id);
      nodes.push({ step, children: build(step.id) });
    }
    return nodes;
  };
  const roots = build(null);
  // Steps only reachable through a cycle: show them from the top level too.
  for (const step of steps) {
    if (placed.has(step.id)) continue;
    placed.add(step.id);
    roots.push({ step, children: build(step.id) });
  }
  return roots;
}
