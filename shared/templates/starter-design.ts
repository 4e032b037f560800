import type { Graph } from '../graph/document.ts';

/** How far below the Input the Output waits: room for four layers added one below the other. */
const OUTPUT_ROW = 4 * 130;

/**
 * "Build your own": a design with only its ends, an Input of Fashion-MNIST's 1×28×28 (the dataset the app
 * trains on out of the box) and an Output further down, unwired: the user puts the network between them.
 */
export const starterDesign = (): Graph => ({
  nodes: [
    { id: 'input', type: 'Input', params: { channels: 1, height: 28, width: 28 }, position: { x: 0, y: 0 } },
    { id: 'output', type: 'Output', params: {}, position: { x: 0, y: OUTPUT_ROW } },
  ],
  edges: [],
  blocks: [],
});
