import { describe, expect, it } from 'vitest';
import { formatValue, logTicks } from './value-axis.ts';

describe('chart values in words', () => {
  it('reads accuracy as a percentage, shorter on the axis than under the pointer', () => {
    expect(formatValue(0.4063, 'percent', 'tick')).toBe('41%');
    expect(formatValue(0.4063, 'percent', 'readout')).toBe('40.6%');
  });

  it('reads losses and rates with their own digits, and a missing value as a dash', () => {
    expect(formatValue(0.25132, 'number', 'readout')).toBe('0.2513');
    expect(formatValue(2.3, 'number', 'tick')).toBe('2.3');
    expect(formatValue(0.001, 'number', 'tick')).toBe('0.001');
    expect(formatValue(0.00001, 'number', 'readout')).toBe('1.000e-5');
    expect(formatValue(null, 'number', 'readout')).toBe('—');
    expect(formatValue(Number.NaN, 'percent', 'tick')).toBe('—');
  });
});

describe('the ticks of a log axis', () => {
  it('marks finer steps within a decade than across several', () => {
    expect(logTicks(0.795, 2.6)).toEqual([0.8, 1, 1.5, 2]);
    expect(logTicks(0.03, 2.4)).toEqual([0.05, 0.1, 0.2, 0.5, 1, 2]);
    expect(logTicks(1e-5, 10)).toEqual([1e-5, 1e-4, 0.001, 0.01, 0.1, 1, 10]);
  });

  it('gives none for a range a log scale cannot draw', () => {
    expect(logTicks(0, 1)).toEqual([]);
    expect(logTicks(2, 2)).toEqual([]);
  });
});
