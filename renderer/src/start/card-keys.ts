/** Where a card lies on screen (a DOMRect's fields). */
export interface CardBox {
  x: number;
  y: number;
  width: number;
}

/** The keys that move between cards. */
export const CARD_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']);

/**
 * The card a key moves to from card `from`, by where the cards lie (they wrap into rows, and the groups of
 * families start rows of their own): left and right go one back or on, up and down to the nearest card in
 * the row above or below, Home and End to the first and last. Stays put at an edge.
 */
export function cardInDirection(boxes: readonly CardBox[], from: number, key: string): number {
  const last = boxes.length - 1;
  if (key === 'Home') return 0;
  if (key === 'End') return last;
  if (key === 'ArrowLeft') return Math.max(0, from - 1);
  if (key === 'ArrowRight') return Math.min(last, from + 1);
  const here = boxes[from];
  if (!here || (key !== 'ArrowUp' && key !== 'ArrowDown')) return from;
  const down = key === 'ArrowDown';
  const rows = boxes.map((b) => b.y).filter((y) => (down ? y > here.y : y < here.y));
  if (rows.length === 0) return from;
  const row = down ? Math.min(...rows) : Math.max(...rows);
  const centre = (b: CardBox) => b.x + b.width / 2;
  let best = from;
  boxes.forEach((b, i) => {
    if (b.y !== row) return;
    if (best === from || Math.abs(centre(b) - centre(here)) < Math.abs(centre(boxes[best]!) - centre(here)))
      best = i;
  });
  return best;
}
