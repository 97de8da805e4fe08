// View → Zoom in / Zoom out: the steps a browser uses, so each press is a visible change. They
// live in zoom-steps.json, which the end-to-end test of the keys reads too.
import steps from './zoom-steps.json';

export const ZOOM_STEPS: readonly number[] = steps;

/** The next step from `current` in `direction` (+1 in, -1 out), staying within the steps. */
export function nextZoom(current: number, direction: 1 | -1): number {
  const nearest = ZOOM_STEPS.reduce((best, z, i) => (Math.abs(z - current) < Math.abs(ZOOM_STEPS[best] - current) ? i : best), 0);
  return ZOOM_STEPS[Math.min(ZOOM_STEPS.length - 1, Math.max(0, nearest + direction))];
}
