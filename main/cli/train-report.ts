import type { RunRecord } from '../../shared/train/run-record.ts';
import type { BatchEvent } from '../../shared/train/train-loop.ts';

const BAR = 24;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** One progress line: epoch, a bar, loss, accuracy, speed and time left. */
export function formatProgress(e: BatchEvent, epochs: number): string {
  const filled = Math.round((BAR * e.batch) / e.batches);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}`;
  return `epoch ${e.epoch}/${epochs} ${bar} ${e.batch}/${e.batches}  loss ${e.loss.toFixed(4)}  acc ${e.accuracy.toFixed(3)}  lr ${e.lr.toPrecision(3)}  ${Math.round(e.samplesPerSec)} samples/s  ETA ${duration(e.etaSeconds)}`;
}

/** Columns right-aligned to their widest cell, two spaces apart. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatEpochTable(r: RunRecord): string {
  const evalName = r.evalSplit === 'validation' ? 'val' : 'test';
  return table(
    ['epoch', 'train loss', 'train acc', `${evalName} loss`, `${evalName} acc`, 'lr', 'samples/s', 'seconds'],
    r.epochs.map((e) => [
      String(e.epoch),
      e.trainLoss.toFixed(4),
      e.trainAccuracy.toFixed(4),
      e.evalLoss.toFixed(4),
      e.evalAccuracy.toFixed(4),
      e.lr.toPrecision(3),
      String(Math.round(e.trainSamplesPerSec)),
      e.seconds.toFixed(1),
    ]),
  );
}

/** Rows are true classes, columns predicted ones. */
export function formatConfusion(confusion: number[][], classes: string[]): string {
  const short = classes.map((c, i) => (c.length > 8 ? `${i}` : c));
  return table(
    ['true \\ predicted', ...short],
    confusion.map((row, i) => [classes[i]!, ...row.map(String)]),
  );
}
