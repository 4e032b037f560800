import { pyPair } from './torch-syntax.ts';
import { hasPadding, tfjsSameMatches, type Pads, type Window } from './spatial.ts';

/**
 * How a layer reads in Keras 3's functional API: the layers it becomes, applied one after another (a padding
 * step, then the layer; Add and Concatenate take the list of inputs), as constructor expressions without
 * their names (the writer names them after the node). Or why Keras cannot express it with the same meaning.
 */
export type KerasCode = { layers: string[] } | { refused: string };

/** The −∞ padding before max pooling: Keras has no layer for it, so the script defines this one. */
export const NEG_INF_PADDING = 'NegInfPadding2D';

/**
 * Pads as Keras can have them: none ('valid'), Keras's own 'same' where it pads exactly so, or a padding
 * layer first (zeros, or −∞ for max pooling) and then 'valid'.
 */
export function kerasPadding(
  pads: Pads,
  w: Window | null,
  fill: 'zero' | 'negInf',
): { before: string[]; padding: 'same' | 'valid' } {
  if (!hasPadding(pads)) return { before: [], padding: 'valid' };
  if (w && tfjsSameMatches(pads, w)) return { before: [], padding: 'same' };
  const amounts = `(${pyPair([pads.top, pads.bottom])}, ${pyPair([pads.left, pads.right])})`;
  const layer =
    fill === 'zero' ? `layers.ZeroPadding2D(padding=${amounts})` : `${NEG_INF_PADDING}(${amounts})`;
  return { before: [layer], padding: 'valid' };
}
