import { describe, expect, it } from 'vitest';
import { ZOOM_STEPS, nextZoom } from './zoom';

describe('zoom steps', () => {
  it('moves one step in and out from actual size', () => {
    expect(nextZoom(1, 1)).toBe(1.1);
    expect(nextZoom(1, -1)).toBe(0.9);
  });
  it('stays within the steps at either end, and snaps a value between steps', () => {
    expect(nextZoom(2, 1)).toBe(2);
    expect(nextZoom(ZOOM_STEPS[0], -1)).toBe(ZOOM_STEPS[0]);
    expect(nextZoom(1.12, 1)).toBe(1.25);
  });
});
