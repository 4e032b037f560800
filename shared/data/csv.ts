import { failure, success, type Result } from '../result.ts';
import { datasetError, MAX_CLASSES, narrowedLabels, type DatasetError, type ImageSet } from './dataset.ts';

/** Text as a Windows editor may save it, without the byte-order mark it begins with. */
export const withoutByteOrderMark = (text: string): string =>
  text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;

/**
 * A CSV of one image per row: the label first, then the pixels (0–255) row by row, as Kaggle's
 * Fashion-MNIST CSVs are. A header row is skipped when its first cell is not a number.
 */
export function decodeCsv(
  text: string,
  file: string,
  pixelsPerImage: number,
): Result<ImageSet, DatasetError> {
  // A byte-order mark would make the first cell no number: the first row would pass for a header.
  const lines = withoutByteOrderMark(text)
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (lines.length > 0 && Number.isNaN(Number(lines[0]!.split(',')[0]))) lines.shift();
  if (lines.length === 0) return failure(datasetError('badCsv', file, 'has no rows.'));
  const images = new Uint8Array(lines.length * pixelsPerImage);
  const wide = new Uint32Array(lines.length);
  let largest = 0;
  for (const [i, line] of lines.entries()) {
    const cells = line.split(',');
    if (cells.length !== pixelsPerImage + 1) {
      return failure(
        datasetError(
          'badCsv',
          file,
          `row ${i + 1} has ${cells.length} values; expected a label and ${pixelsPerImage} pixels.`,
        ),
      );
    }
    for (const [j, cell] of cells.entries()) {
      const most = j === 0 ? MAX_CLASSES - 1 : 255;
      // Digits only: Number() reads '' as 0, and '1e2' and '0x10' as numbers no CSV of pixels means.
      const v = /^\s*\d{1,6}\s*$/.test(cell) ? Number(cell) : NaN;
      if (!(v <= most)) {
        // The cell itself is not repeated: the page that asked to add a folder may not read its files.
        const what = j === 0 ? `a label from 0 to ${most}` : 'a pixel value from 0 to 255';
        return failure(
          datasetError('badCsv', file, `row ${i + 1}, column ${j + 1} is not ${what}, written in digits.`),
        );
      }
      if (j > 0) images[i * pixelsPerImage + j - 1] = v;
      else [wide[i], largest] = [v, Math.max(largest, v)];
    }
  }
  const labels = narrowedLabels(wide, largest);
  return success({ images, labels, count: lines.length });
}
