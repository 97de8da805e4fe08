// Grows a textarea with its content (no inner scrollbar while writing).
import type { Action } from 'svelte/action';

export const autosize: Action<HTMLTextAreaElement, string> = (node) => {
  const fit = () => {
    node.style.height = 'auto';
    node.style.height = `${node.scrollHeight + 2}px`;
  };
  fit();
  node.addEventListener('input', fit);
  const observer = new ResizeObserver(() => fit());
  observer.observe(node.parentElement ?? node);
  return {
    update: () => fit(),
    destroy() {
      node.removeEventListener('input', fit);
      observer.disconnect();
    },
  };
};
