// Editing a fishbone: categories and causes nested to any depth.
import type { Fishbone, FishboneCause } from '../api/types';

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
