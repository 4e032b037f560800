import { describe, expect, it } from 'vitest';
import { formatValue } from './value-axis.ts';

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
