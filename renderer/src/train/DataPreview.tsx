import { useEffect, useState } from 'react';
import { ImageThumb } from './ImageThumb.tsx';
import { samplesByClass, testImages, type TestImages } from '../training/test-images.ts';
import { useTraining } from '../training/training-store.ts';

/** Loads a dataset's test images once they are wanted; a problem reading them is said, not thrown. */
export function useTestImages(datasetId: string): TestImages | string | null {
  const [images, setImages] = useState<{ id: string; images: TestImages | string } | null>(null);
  useEffect(
    () => void testImages(datasetId).then((loaded) => setImages({ id: datasetId, images: loaded })),
    [datasetId],
  );
  return images?.id === datasetId ? images.images : null;
}

/** The data a run learns: its classes, each with a few of its test images (or why it cannot be used). */
export function DataPreview() {
  const { datasets, datasetId } = useTraining();
  const offer = datasets.find((d) => d.id === datasetId);
  const images = useTestImages(datasetId);
  if (offer && 'problem' in offer)
    return (
      <p className="field-error" data-testid="dataset-problem">
        {offer.problem}
      </p>
    );
  if (images === null || !offer) return <p className="hint">Reading {offer?.name ?? datasetId}…</p>;
  if (typeof images === 'string') return <p className="field-error">{images}</p>;
  const samples = samplesByClass(images.set, offer.classes.length, 3);
  return (
    <div className="data-preview" data-testid="data-preview">
      <h3>
        {offer.name} · {offer.classes.length} classes · {offer.train.toLocaleString('en-US')} training and{' '}
        {offer.test.toLocaleString('en-US')} test images of {offer.shape.join('×')}
      </h3>
      <div className="sample-grid">
        {samples.map((indices, c) => (
          <figure key={c}>
            {indices.map((i) => (
              <ImageThumb key={i} images={images} index={i} title={offer.classes[c]!} />
            ))}
            <figcaption>{offer.classes[c]}</figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}
