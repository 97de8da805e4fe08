// Brings a part of the page into view and makes it blink once, so a click on a link to it
// ("18:31 Dashboards show…", "from 5 whys 1 · why 3", "✓ action item") visibly lands
// somewhere. The blink is a Web Animation, so it needs no style sheet in the target's component.

/** Scrolls `target` to the middle of the window, outlines it briefly, and focuses `focus`. */
export function reveal(target: Element | null | undefined, focus?: HTMLElement | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  target.scrollIntoView({ behavior: 'smooth', block: 'center' });
  const accent = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() || '#4f46e5';
  target.animate?.(
    [
      { boxShadow: `0 0 0 3px ${accent}`, offset: 0 },
      { boxShadow: `0 0 0 3px ${accent}`, offset: 0.6 },
      { boxShadow: '0 0 0 3px transparent', offset: 1 },
    ],
    { duration: 1600, easing: 'ease-out' },
  );
  focus?.focus({ preventScroll: true });
  return true;
}

/** The first element matching `selector`, with `value` escaped for use in an attribute selector. */
export const byData = (attr: string, value: string) => document.querySelector<HTMLElement>(`[${attr}="${CSS.escape(value)}"]`);
