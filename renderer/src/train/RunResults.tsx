import { useState } from 'react';
import { FASHION_MNIST_CLASSES, type Labels } from '../../../shared/data/dataset.ts';
import type { RunRecord } from '../../../shared/train/run-record.ts';
import { ImageThumb } from './ImageThumb.tsx';
import { useTraining } from '../training/training-store.ts';
import { formatAccuracy } from './run-words.ts';
import { useTestImages } from './DataPreview.tsx';
import './run-results.css';

/** A run's test results: accuracy, the confusion matrix, and the images of a clicked cell. */
export function Results({ record, predictions }: { record: RunRecord; predictions: Labels | null }) {
  const classes = record.dataset?.classes ?? FASHION_MNIST_CLASSES;
  const { confusion, accuracy } = record.test;
  const best = record.bestEpoch;
  const [cell, setCell] = useState<[number, number] | null>(null);
  return (
    <div className="run-results" data-testid="run-results">
      <h3>
        Test accuracy {formatAccuracy(accuracy)}
        {best ? ` · best epoch ${best}` : ''}
      </h3>
      <table className="confusion" aria-label="Confusion matrix (rows: true class, columns: predicted)">
        <thead>
          <tr>
            <th className="corner" scope="col">
              true ↓ predicted →
            </th>
            {classes.map((name, j) => (
              <th key={j} scope="col" className="column-head" title={`predicted ${name}`}>
                <span>{name}</span>
              </th>
            ))}
            <th scope="col" className="column-head" title="The share of each true class predicted right">
              <span>right</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {confusion.map((row, i) => {
            const total = row.reduce((a, b) => a + b, 0) || 1;
            return (
              <tr key={i}>
                <th scope="row" title={classes[i]}>
                  {classes[i]}
                </th>
                {row.map((n, j) => (
                  <td
                    key={j}
                    className={predictions && n > 0 ? 'clickable' : undefined}
                    style={{ background: shade(n / total), color: n / total > 0.5 ? '#fff' : undefined }}
                    title={`${classes[i]} predicted as ${classes[j]}: ${n} (${formatAccuracy(n / total)} of ${classes[i]})${predictions ? ', click to see them' : ''}`}
                    onClick={() => predictions && n > 0 && setCell([i, j])}
                    data-testid={`confusion-${i}-${j}`}
                  >
                    {n}
                  </td>
                ))}
                <td className="per-class">{formatAccuracy(row[i]! / total)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ColourScale />
      {cell && predictions && (
        <Mistakes truth={cell[0]} predicted={cell[1]} predictions={predictions} classes={classes} />
      )}
    </div>
  );
}

/** A cell's colour: the share of its row (its true class) that it holds, from white to full blue. */
const shade = (share: number) => `rgba(47, 91, 211, ${share})`;

/** What the cells' colours say, from none of the true class to all of it. */
function ColourScale() {
  return (
    <p className="colour-scale" data-testid="confusion-scale">
      <span>0%</span>
      <span className="ramp" style={{ background: `linear-gradient(to right, ${shade(0)}, ${shade(1)})` }} />
      <span>100% of the true class (its row)</span>
    </p>
  );
}

/** The test images of one confusion cell: what was taken for what. */
function Mistakes(props: { truth: number; predicted: number; predictions: Labels; classes: string[] }) {
  const images = useTestImages(useTraining((s) => s.datasetId));
  if (images === null || typeof images === 'string')
    return <p className="hint">{images ?? 'Reading the test images…'}</p>;
  const picked: number[] = [];
  for (let i = 0; i < images.set.count && picked.length < 40; i++)
    if (images.set.labels[i] === props.truth && props.predictions[i] === props.predicted) picked.push(i);
  const [truth, predicted] = [props.classes[props.truth], props.classes[props.predicted]];
  return (
    <div className="mistakes" data-testid="mistakes">
      <h3>
        {truth} predicted as {predicted} ({picked.length === 40 ? 'the first 40' : picked.length})
      </h3>
      <div className="thumb-row">
        {picked.map((i) => (
          <ImageThumb key={i} images={images} index={i} title={`test image ${i + 1}`} />
        ))}
      </div>
    </div>
  );
}
