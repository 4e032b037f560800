import { describe, expect, it } from 'vitest';
import { cardInDirection, type CardBox } from './card-keys.ts';

/** Three cards in a row, then a family of two on a row of its own, then one card: 200 wide, 10 apart. */
const boxes: CardBox[] = [
  { x: 0, y: 0, width: 200 },
  { x: 210, y: 0, width: 200 },
  { x: 420, y: 0, width: 200 },
  { x: 0, y: 300, width: 200 },
  { x: 210, y: 300, width: 200 },
  { x: 0, y: 600, width: 200 },
];

describe('moving between start-screen cards by keys', () => {
  it('goes back and on in reading order, and to either end', () => {
    expect(cardInDirection(boxes, 2, 'ArrowRight')).toBe(3);
    expect(cardInDirection(boxes, 3, 'ArrowLeft')).toBe(2);
    expect(cardInDirection(boxes, 0, 'ArrowLeft')).toBe(0);
    expect(cardInDirection(boxes, 5, 'ArrowRight')).toBe(5);
    expect(cardInDirection(boxes, 3, 'Home')).toBe(0);
    expect(cardInDirection(boxes, 1, 'End')).toBe(5);
  });

  it('goes up and down to the nearest card of the next row, and stays at the top and bottom', () => {
    expect(cardInDirection(boxes, 1, 'ArrowDown')).toBe(4);
    expect(cardInDirection(boxes, 2, 'ArrowDown')).toBe(4);
    expect(cardInDirection(boxes, 4, 'ArrowDown')).toBe(5);
    expect(cardInDirection(boxes, 5, 'ArrowUp')).toBe(3);
    expect(cardInDirection(boxes, 4, 'ArrowUp')).toBe(1);
    expect(cardInDirection(boxes, 1, 'ArrowUp')).toBe(1);
    expect(cardInDirection(boxes, 5, 'ArrowDown')).toBe(5);
  });
});
