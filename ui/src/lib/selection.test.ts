import { describe, expect, it } from 'vitest';
import { clampSelection, moveSelection, selectionDelta } from './selection';

describe('moveSelection', () => {
  it('moves down and up within the list', () => {
    expect(moveSelection(0, 1, 3)).toBe(1);
    expect(moveSelection(2, -1, 3)).toBe(1);
  });
  it('stops at both ends instead of wrapping', () => {
    expect(moveSelection(2, 1, 3)).toBe(2);
    expect(moveSelection(0, -1, 3)).toBe(0);
    expect(moveSelection(1, 5, 3)).toBe(2);
    expect(moveSelection(1, -5, 3)).toBe(0);
  });
  it('starts from the top (or the bottom going up) when nothing is selected', () => {
    expect(moveSelection(-1, 1, 3)).toBe(0);
    expect(moveSelection(-1, -1, 3)).toBe(2);
  });
  it('selects nothing in an empty list', () => {
    expect(moveSelection(0, 1, 0)).toBe(-1);
  });
});

describe('clampSelection', () => {
  it('keeps the index inside a list that shrank or grew', () => {
    expect(clampSelection(7, 3)).toBe(2);
    expect(clampSelection(-1, 3)).toBe(0);
    expect(clampSelection(1, 20)).toBe(1);
    expect(clampSelection(1, 0)).toBe(-1);
  });
});

describe('selectionDelta', () => {
  it('maps arrow and page keys', () => {
    expect(selectionDelta('ArrowDown')).toBe(1);
    expect(selectionDelta('ArrowUp')).toBe(-1);
    expect(selectionDelta('PageDown')).toBe(5);
    expect(selectionDelta('Enter')).toBeNull();
  });
});
