export type Theme = 'light' | 'dark';

/** The stored setting when it is a theme, else the system preference. */
export function resolveTheme(stored: unknown, prefersDark: boolean): Theme {
  if (stored === 'dark' || stored === 'light') return stored;
  return prefersDark ? 'dark' : 'light';
}

export function otherTheme(t: Theme): Theme {
  return t === 'dark' ? 'light' : 'dark';
}
