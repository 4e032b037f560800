import { describe, expect, it } from 'vitest';
import { parseRunRecord, parseRunRecordText } from './run-record.ts';
import { sampleRunRecord } from './sample-run-record.ts';

describe('run records (run.json)', () => {
  it('reads what Blockwise writes, and an older one whose recipe lacks a later field gets its default', () => {
    const record = sampleRunRecord();
    expect(parseRunRecordText(JSON.stringify(record))).toEqual({ ok: true, value: record });
    const { init: _init, ...olderConfig } = record.config;
    const older = parseRunRecord({ ...record, config: olderConfig });
    expect(older.ok && older.value.config.init).toBe('pytorch');
  });

  it.each([
    [{ format: 'other' }, /not a Blockwise run record/],
    [{ ...sampleRunRecord(), formatVersion: 3 }, /newer Blockwise \(run format 3; this one reads 1\)/],
    [
      { ...sampleRunRecord(), test: { ...sampleRunRecord().test, accuracy: 'high' } },
      /its test\.accuracy is not valid/,
    ],
    [{ ...sampleRunRecord(), epochs: [{ epoch: 1 }] }, /its epochs\.0\.trainLoss is not valid/],
    [
      { ...sampleRunRecord(), config: { ...sampleRunRecord().config, lr: -1 } },
      /its config\.lr is not valid/,
    ],
  ])('refuses %j saying why', (value, message) => {
    expect(parseRunRecord(value)).toMatchObject({ ok: false, error: expect.stringMatching(message) });
  });
});
