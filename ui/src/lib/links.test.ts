import { describe, expect, it } from 'vitest';
import { isWebLink } from './links';

describe('links the browser may open', () => {
  it('accepts http and https links with a host', () => {
    expect(isWebLink('https://tracker.example.com/REL-1213')).toBe(true);
    expect(isWebLink(' http://jira.local/browse/OPS-7 ')).toBe(true);
  });
  it('refuses empty values, other schemes and text that is not a URL', () => {
    expect(isWebLink(null)).toBe(false);
    expect(isWebLink('')).toBe(false);
    expect(isWebLink('REL-1213')).toBe(false);
    expect(isWebLink('file:///etc/passwd')).toBe(false);
    expect(isWebLink('javascript:alert(1)')).toBe(false);
  });
});
