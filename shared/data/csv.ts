import { failure, success, type Result } from '../result.ts';
import { datasetError, type DatasetError, type ImageSet } from './dataset.ts';

/**
 * A CSV of one image per row: the label first, then the pixels (0–255) row by row, as Kaggle's
 * Fashion-MNIST CSVs are. A header row is skipped when its first cell is not a number.
 */
export function decodeCsv(
  text: string,
  file: string,
  pixelsPerImage: number,
): Result<ImageSet, DatasetError> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length > 0 && Number.isNaN(Number(lines[0]!.split(',')[0]))) lines.shift();
  if (lines.length === 0) return failure(datasetError('badCsv', file, 'has no rows.'));
  const images = new Uint8Array(lines.length * pixelsPerImage);
  const labels = new Uint8Array(lines.length);
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
      // Number('') is 0: an empty cell would pass for a black pixel or label 0.
      const v = cell.trim() === '' ? NaN : Number(cell);
      if (!Number.isInteger(v) || v < 0 || v > 255) {
        return failure(
          datasetError(
            'badCsv',
            file,
            `row ${i + 1}, column ${j + 1}: "${cell}" is not an integer from 0 to 255.`,
          ),
        );
      }
      if (j === 0) labels[i] = v;
      else images[i * pixelsPerImage + j - 1] = v;
    }
  }
  return success({ images, labels, count: lines.length });
}
