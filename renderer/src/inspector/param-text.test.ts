import { describe, expect, it } from 'vitest';
import { formatParam, parseParam } from './param-text.ts';

describe('parameter text in the inspector', () => {
  it('reads numbers, pairs, booleans, words and an empty field as the schema expects them', () => {
    expect(parseParam(' 64 ')).toBe(64);
    expect(parseParam('1e-3')).toBe(0.001);
    expect(parseParam('3, 5')).toEqual([3, 5]);
    expect(parseParam('true')).toBe(true);
    expect(parseParam('same')).toBe('same');
    expect(parseParam('')).toBe(null);
    // A typo stays text, for the schema to refuse with its message (never a silent number).
    expect(parseParam('6 4')).toBe('6 4');
  });

  it('shows what it reads back the same', () => {
    for (const v of [64, [3, 5], true, 'relu', 0.5]) expect(parseParam(formatParam(v))).toEqual(v);
    expect(formatParam(null)).toBe('');
  });
});
