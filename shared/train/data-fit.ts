import type { Graph } from '../graph/document.ts';
import type { Diagnostic } from '../shapes/diagnostic.ts';
import type { GraphInference } from '../shapes/infer-shapes.ts';
import { isInputNode, isOutputNode } from '../layers/registry.ts';

/** What a dataset offers a network: its images' C×H×W and its classes. */
export interface DataShape {
  shape: readonly [number, number, number];
  classes: number;
}

/**
 * How a network fits a dataset, found before training starts and pinned at the node at fault: the resize
 * the data needs (applied per batch, never to the whole set), and the problems no setting fixes.
 */
export function dataFit(
  graph: Graph,
  inference: GraphInference,
  data: DataShape,
): { resize: number | null; problems: Diagnostic[] } {
  const input = graph.nodes.find(isInputNode);
  const output = graph.nodes.find(isOutputNode);
  const problems: Diagnostic[] = [];
  let resize: number | null = null;
  const inShape = input && okShape(inference, input.id);
  if (input && inShape) {
    const [channels, height, width] = inShape;
    if (height !== width && (height !== data.shape[1] || width !== data.shape[2]))
      problems.push(
        pin(
          input.id,
          `The network wants ${height}×${width} images; the data is ${data.shape[1]}×${data.shape[2]} and resizes to squares only. Make the Input square.`,
        ),
      );
    else if (height !== data.shape[1]) resize = height!;
    if (channels !== data.shape[0] && !(data.shape[0] === 1 && channels === 3))
      problems.push(
        pin(
          input.id,
          `The network wants ${channels} channel(s); the data has ${data.shape[0]}. Set the Input's channels to ${data.shape[0]}.`,
        ),
      );
  }
  const outShape = output && okShape(inference, output.id);
  if (output && outShape && outShape.length !== 1)
    problems.push(
      pin(
        output.id,
        `The network ends in ${outShape.join('×')} features; training needs ${data.classes} class scores. Add a GlobalAvgPool (or Flatten) and a Dense layer of ${data.classes} units before Output.`,
      ),
    );
  else if (output && outShape && outShape[0] !== data.classes)
    problems.push(
      pin(
        output.id,
        `The network gives ${outShape[0]} class scores; the data has ${data.classes} classes. Set the units of the Dense layer feeding Output to ${data.classes}.`,
      ),
    );
  return { resize, problems };
}

function okShape(inference: GraphInference, id: string): readonly number[] | null {
  const r = inference.nodes.get(id);
  return r?.status === 'ok' ? (r.outputs.get('out') ?? null) : null;
}

const pin = (nodeId: string, message: string): Diagnostic => ({
  severity: 'error',
  nodeId,
  code: 'shapeMismatch',
  message,
});
