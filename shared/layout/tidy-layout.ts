import type { GraphCommand } from '../graph/commands.ts';
import type { Graph } from '../graph/document.ts';
import { inferShapes, type GraphInference } from '../shapes/infer-shapes.ts';
import { flowLayoutCommand } from './flow-layout.ts';
import { nodeBoxes } from './node-box.ts';

/** The graph laid out as a flow, each node given the room its text takes, as one undoable move. */
export function tidyLayout(graph: Graph, inference: GraphInference = inferShapes(graph)): GraphCommand {
  const boxes = nodeBoxes(graph, inference);
  return flowLayoutCommand(graph, (id) => boxes.get(id)!);
}
