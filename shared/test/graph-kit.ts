import '@tensorflow/tfjs-backend-cpu';
import { setBackend, env } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Graph } from '../graph/document.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import type { Shape } from '../shape.ts';

env().set('PROD', true);
await setBackend('cpu');

export type LayerSpec = [type: string, params?: Record<string, unknown>];

/** Input → layers… (→ nothing else): the graph most rule tests need. */
export function chainGraph(input: readonly [number, number, number], layers: LayerSpec[]): Graph {
  const b = new GraphBuilder();
  const [channels, height, width] = input;
  b.chain(b.add('Input', { channels, height, width }), layers);
  return b.graph();
}

/** The inferred output shape of the last node of a chain, or its first diagnostic's code. */
export function lastShape(input: readonly [number, number, number], layers: LayerSpec[]): Shape | string {
  const g = chainGraph(input, layers);
  const inf = inferShapes(g);
  const last = g.nodes[g.nodes.length - 1]!;
  const r = inf.nodes.get(last.id)!;
  if (r.status === 'ok') return [...r.outputs.get('out')!];
  return inf.diagnostics.find((d) => d.severity === 'error')?.code ?? r.status;
}

export function countWeights(model: LayersModel): { trainable: number; nonTrainable: number } {
  const size = (ws: { shape: (number | null)[] }[]) =>
    ws.reduce((s, w) => s + w.shape.reduce<number>((a, d) => a * (d ?? 1), 1), 0);
  return { trainable: size(model.trainableWeights), nonTrainable: size(model.nonTrainableWeights) };
}
