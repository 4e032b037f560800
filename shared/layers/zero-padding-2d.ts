import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { defineLayer, expectImage, fail, ok, SINGLE_INPUT } from './kind.ts';
import { intOrPair, nonNegativeInt } from './params.ts';
import { kerasPadding } from './keras-syntax.ts';
import { torchPad, windowOf } from './spatial.ts';

const quad = z.tuple([nonNegativeInt, nonNegativeInt, nonNegativeInt, nonNegativeInt]);
type Padding = number | readonly [number, number] | readonly [number, number, number, number];

const padsOf = (p: Padding) => {
  const [top, bottom, left, right] = sides(p);
  return { top, bottom, left, right };
};

/** [top, bottom, left, right] from one integer, [vertical, horizontal], or all four. */
function sides(p: Padding): [number, number, number, number] {
  if (typeof p === 'number') return [p, p, p, p];
  return p.length === 2 ? [p[0], p[0], p[1], p[1]] : [p[0], p[1], p[2], p[3]];
}

export const zeroPadding2d = defineLayer({
  type: 'ZeroPadding2D',
  title: 'ZeroPadding2D',
  category: 'shape',
  description:
    'Adds rows and columns of zeros: one size, [vertical, horizontal], or [top, bottom, left, right].',
  params: z.object({ padding: z.union([intOrPair(0), quad]).default(1) }),
  inputs: () => SINGLE_INPUT,
  sight: (p) => ({ window: windowOf(1, 1), pads: padsOf(p.padding) }),
  infer: ([x], p) => {
    const bad = expectImage(x!, 'ZeroPadding2D');
    if (bad) return fail(bad);
    const [t, b, l, r] = sides(p.padding);
    return ok([x![0]!, x![1]! + t + b, x![2]! + l + r]);
  },
  flops: () => 0,
  tfjs: {
    build: ([x], p, ctx) => {
      const [t, b, l, r] = sides(p.padding);
      const padding: [[number, number], [number, number]] = [
        [t, b],
        [l, r],
      ];
      return layers.zeroPadding2d({ padding, name: ctx.name }).apply(x!) as SymbolicTensor;
    },
  },
  torch: {
    code: (p) => {
      const [top, bottom, left, right] = sides(p.padding);
      return { forward: ([x]) => torchPad(x!, { top, bottom, left, right }) };
    },
  },
  keras: {
    code: (p) => ({ layers: kerasPadding(padsOf(p.padding), null, 'zero').before }),
  },
});
