// Editing a fishbone: categories and causes nested to any depth.
import type { Fishbone, FishboneCause } from '../api/types';

type FishboneCategory = Fishbone['categories'][number];

/** Seed 004's bones, as the core's `Fishbone::DEFAULT_CATEGORIES` (pinned by tests/fixtures/golden). */
export const DEFAULT_CATEGORIES = ['People', 'Process', 'Technology', 'Environment', 'Timing', 'Configuration'];

const uuid = () => crypto.randomUUID();

/** A diagram with the six default categories (seed 004). */
export function newFishbone(effect: string): Fishbone {
  return { id: uuid(), effect, categories: DEFAULT_CATEGORIES.map((name) => ({ id: uuid(), name, causes: [] })) };
}

export function newCause(text = ''): FishboneCause {
  return { id: uuid(), text, children: [] };
}

/** The list holding cause `id` (a category's causes or a parent's children), and its index. */
export function findCause(fishbone: Fishbone, id: string): { list: FishboneCause[]; index: number } | null {
  const walk = (list: FishboneCause[]): { list: FishboneCause[]; index: number } | null => {
    for (let i = 0; i < list.length; i++) {
      if (list[i].id === id) return { list, index: i };
      const found = walk(list[i].children);
      if (found) return found;
    }
    return null;
  };
  for (const c of fishbone.categories) {
    const found = walk(c.causes);
    if (found) return found;
  }
  return null;
}

/** Removes cause `id` with its sub-causes; false when it is not there. */
export function removeCause(fishbone: Fishbone, id: string): boolean {
  const at = findCause(fishbone, id);
  if (!at) return false;
  at.list.splice(at.index, 1);
  return true;
}

/** Number of causes at every depth. */
export function countCauses(fishbone: Fishbone): number {
  const count = (list: FishboneCause[]): number => list.reduce((n, c) => n + 1 + count(c.children), 0);
  return fishbone.categories.reduce((n, c) => n + count(c.causes), 0);
}

/** Where cause `id` sits: its category, its parent cause (null at the top of a bone), depth. */
export function causeContext(
  fishbone: Fishbone,
  id: string,
): { category: FishboneCategory; parent: FishboneCause | null; list: FishboneCause[]; index: number; depth: number } | null {
  for (const category of fishbone.categories) {
    const walk = (list: FishboneCause[], parent: FishboneCause | null, depth: number): ReturnType<typeof causeContext> => {
      for (let i = 0; i < list.length; i++) {
        if (list[i].id === id) return { category, parent, list, index: i, depth };
        const found = walk(list[i].children, list[i], depth + 1);
        if (found) return found;
      }
      return null;
    };
    const found = walk(category.causes, null, 0);
    if (found) return found;
  }
  return null;
}

/** A new empty cause at the end of a category's bone; null when there is no such category. */
export function addCauseTo(fishbone: Fishbone, categoryId: string, text = ''): FishboneCause | null {
  const category = fishbone.categories.find((c) => c.id === categoryId);
  if (!category) return null;
  const cause = newCause(text);
  category.causes.push(cause);
  return cause;
}

/** A new empty cause right after `id`, beside it (same parent). */
export function addCauseAfter(fishbone: Fishbone, id: string): FishboneCause | null {
  const at = findCause(fishbone, id);
  if (!at) return null;
  const cause = newCause('');
  at.list.splice(at.index + 1, 0, cause);
  return cause;
}

/** A new empty sub-cause at the end of `parentId`'s children. */
export function addSubCause(fishbone: Fishbone, parentId: string): FishboneCause | null {
  const at = findCause(fishbone, parentId);
  if (!at) return null;
  const cause = newCause('');
  at.list[at.index].children.push(cause);
  return cause;
}

/** How many sub-causes (at every depth) are under cause `id`. */
export function causesBelow(fishbone: Fishbone, id: string): number {
  const at = findCause(fishbone, id);
  const count = (list: FishboneCause[]): number => list.reduce((n, c) => n + 1 + count(c.children), 0);
  return at ? count(at.list[at.index].children) : 0;
}

/** Where the keyboard goes once cause `id` is removed: the cause before it, else its parent. */
export function focusAfterCauseRemoval(fishbone: Fishbone, id: string): string | null {
  const at = causeContext(fishbone, id);
  if (!at) return null;
  return at.list[at.index - 1]?.id ?? at.list[at.index + 1]?.id ?? at.parent?.id ?? null;
}

/** "Technology" or "Technology › Pool limit lowered": where a cause hangs; null when gone. */
export function causePlace(fishbones: readonly Fishbone[], id: string): { diagram: number; path: string } | null {
  for (const [i, f] of fishbones.entries()) {
    const at = causeContext(f, id);
    if (!at) continue;
    const names = [at.category.name || 'Unnamed category'];
    // The chain of parents, top down.
    const trail: string[] = [];
    let cur = at.parent;
    while (cur) {
      trail.unshift(cur.text || '(empty cause)');
      cur = causeContext(f, cur.id)?.parent ?? null;
    }
    return { diagram: i + 1, path: [...names, ...trail].join(' › ') };
  }
  return null;
}

/** What a key press in a cause of the structured list does. */
export type CauseKeyCommand = 'next' | 'sub' | 'remove' | null;

/**
 * Enter adds the next cause beside this one, Alt+Enter a sub-cause under it (a cause is one
 * line, so Enter never types a newline); Ctrl+Backspace or Ctrl+Delete in an empty cause
 * removes it.
 */
export function causeKeyCommand(e: { key: string; altKey: boolean; ctrlKey: boolean; metaKey: boolean }, text: string): CauseKeyCommand {
  const mod = e.ctrlKey || e.metaKey;
  if (e.key === 'Enter' && !mod) return e.altKey ? 'sub' : 'next';
  if (mod && (e.key === 'Backspace' || e.key === 'Delete') && text.trim() === '') return 'remove';
  return null;
}

/** A file name for an exported diagram, from its effect: "Checkout 502s after pool change.svg". */
export function exportName(effect: string, ext: 'svg' | 'png'): string {
  const base = effect
    .replace(/[^\p{L}\p{N}\-_ ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60)
    .trim();
  return `${base || 'fishbone'}.${ext}`;
}

/** Trimmed, non-empty names in their first order, each once whatever its case. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    const key = name.toLowerCase();
    if (name && !seen.has(key)) {
      seen.add(key);
      out.push(name);
    }
  }
  return out;
}
