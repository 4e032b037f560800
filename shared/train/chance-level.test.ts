import { describe, expect, it } from 'vitest';
import { CHANCE_WINDOW, chanceNote } from './chance-level.ts';

const batches = (n: number, accuracy: number) => Array.from({ length: n }, () => accuracy);

describe('the note for a run still at chance', () => {
  it('speaks once enough batches sit at 1 / classes, naming the level and what to do', () => {
    expect(chanceNote(batches(CHANCE_WINDOW, 0.1), 10)).toMatch(
      /^Accuracy is still at chance \(10% for 10 classes\) after 20 batches\. .*give it an epoch/,
    );
    expect(chanceNote(batches(300, 0.34), 3)).toMatch(/chance \(33% for 3 classes\) after 300 batches/);
  });

  it('stays quiet with too few batches, once the network learns, or for one class', () => {
    expect(chanceNote(batches(CHANCE_WINDOW - 1, 0.1), 10)).toBeNull();
    expect(chanceNote([...batches(200, 0.1), ...batches(CHANCE_WINDOW, 0.6)], 10)).toBeNull();
    expect(chanceNote(batches(50, 1), 1)).toBeNull();
  });

  it('looks at the latest batches: a run that learned and fell back to guessing is said again', () => {
    expect(chanceNote([...batches(100, 0.8), ...batches(CHANCE_WINDOW, 0.11)], 10)).not.toBeNull();
  });
});
