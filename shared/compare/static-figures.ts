import type { Graph } from '../graph/document.ts';
import { hasErrors, inferShapes } from '../shapes/infer-shapes.ts';
import { failure, success, type Result } from '../result.ts';

/** What a design costs without training it: the same figures as its summary. */
export interface StaticFigures {
  trainable: number;
  nonTrainable: number;
  /** Floating-point operations for one sample (a multiply-add counts 2). */
  flops: number;
  /** Activations kept for a batch of the given size, in bytes (float32). */
  activationBytes: number;
  /** The weights and statistics, float32. */
  weightBytes: number;
}

/** A design's static figures at a batch size; a graph with a problem says which. */
export function staticFigures(graph: Graph, batch: number): Result<StaticFigures, string> {
  const inference = inferShapes(graph);
  if (hasErrors(inference)) {
    const first = inference.diagnostics.find((d) => d.severity === 'error')!;
    return failure(`${first.nodeId ? `${first.nodeId}: ` : ''}${first.message}`);
  }
  const { params, flops, memoryBytes } = inference.totals;
  return success({
    trainable: params.trainable,
    nonTrainable: params.nonTrainable,
    flops,
    activationBytes: memoryBytes * batch,
    weightBytes: 4 * (params.trainable + params.nonTrainable),
  });
}

/** One row of a comparison: a variant's name and its figures. */
export type ComparisonRow = { name: string } & Record<string, string | number>;
