// A trailing-edge debounce with cancel and flush (for search-as-you-type).

export interface Debounced<A extends unknown[]> {
  /** (Re)starts the quiet period; the last call's arguments win. */
  (...args: A): void;
  /** Drops the pending call, if any. */
  cancel(): void;
  /** Runs the pending call now, if any; true when one ran. */
  flush(): boolean;
  /** True while a call is waiting for the quiet period to end. */
  readonly pending: boolean;
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastArgs: A | null = null;

  const fire = () => {
    const args = lastArgs as A;
    timer = null;
    lastArgs = null;
    fn(...args);
  };

  const debounced = ((...args: A) => {
    lastArgs = args;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(fire, ms);
  }) as Debounced<A>;

  debounced.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    lastArgs = null;
  };

  debounced.flush = () => {
    if (timer === null) return false;
    clearTimeout(timer);
    fire();
    return true;
  };

  Object.defineProperty(debounced, 'pending', { get: () => timer !== null });
  return debounced;
}
