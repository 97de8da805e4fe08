import { describe, expect, it } from 'vitest';
import { addTokens, isIsoDate, optionalText, parseNumber, removeToken, suggestionsFor } from './fields';

describe('token lists', () => {
  it('adds comma-separated names, trimmed and without duplicates', () => {
    expect(addTokens(['checkout'], ' billing , Checkout,,  api   gateway ')).toEqual([
      'checkout',
      'billing',
      'api gateway',
    ]);
  });
  it('removes by index', () => {
    expect(removeToken(['a', 'b', 'c'], 1)).toEqual(['a', 'c']);
  });
  it('suggests names not yet chosen that contain the typed text', () => {
    expect(suggestionsFor(['Checkout', 'Billing', 'Search'], ['billing'], 'ch')).toEqual(['Checkout', 'Search']);
    expect(suggestionsFor(['Checkout', 'Billing'], [], '')).toEqual(['Checkout', 'Billing']);
  });
});

describe('number and text inputs', () => {
  it('maps empty to null and rejects garbage', () => {
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('  ')).toBeNull();
    expect(parseNumber('12.5')).toBe(12.5);
    expect(parseNumber('12,5')).toBe(12.5);
    expect(parseNumber('abc')).toBeUndefined();
  });
  it('requires whole numbers where asked', () => {
    expect(parseNumber('14', { integer: true })).toBe(14);
    expect(parseNumber('1.5', { integer: true })).toBeUndefined();
  });
  it('treats blank optional text as null', () => {
    expect(optionalText('   ')).toBeNull();
    expect(optionalText('Ana')).toBe('Ana');
  });
  it('recognises ISO dates', () => {
    expect(isIsoDate('2025-03-12')).toBe(true);
    expect(isIsoDate('')).toBe(false);
    expect(isIsoDate('12/03/2025')).toBe(false);
  });
});
