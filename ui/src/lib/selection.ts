// Keyboard selection in a result list: an index into `count` items, -1 when there are none.

/** Moves `index` by `delta`, clamped to the list (no wrap-around); -1 for an empty list. */
export function moveSelection(index: number, delta: number, count: number): number {
  if (count <= 0) return -1;
  if (index < 0) return delta < 0 ? count - 1 : 0;
  return Math.min(count - 1, Math.max(0, index + delta));
}

/** Keeps `index` valid after the list changed length; an empty list selects nothing. */
export function clampSelection(index: number, count: number): number {
  if (count <= 0) return -1;
  return Math.min(count - 1, Math.max(0, index));
}

/** The step a key moves the selection by, or null for keys that do not move it. */
export function selectionDelta(key: string): number | null {
  switch (key) {
    case 'ArrowDown':
      return 1;
    case 'ArrowUp':
      return -1;
    case 'PageDown':
      return 5;
    case 'PageUp':
      return -5;
    default:
      return null;
  }
}
