import type { BlockBody, Graph, GraphEdge, GraphNode, PortRef } from './document.ts';

/** Where a tensor comes from: a node's output port, or the input of the block being built. */
export type Source = PortRef;

/** The placeholder source for a block body's (single) input. */
export const BLOCK_INPUT: Source = { node: '', port: 'in' };

const ROW = 130;

/** Any node type with any parameters: the builder's default, for code that builds from data (fuzzing). */
type AnyParams = Record<string, Record<string, unknown>>;

/** One step of a chain: a node type and its parameters, typed together. */
export type ChainStep<P extends object = AnyParams> = {
  [T in keyof P & string]: readonly [type: T, params?: P[T]];
}[keyof P & string];

/**
 * Builds graphs and block bodies in code: templates and built-in blocks are written as chains of layers.
 * Node ids are readable ("conv2d3"); positions are a plain column, laid out properly by the UI. `P` maps
 * each node type to its parameters (the registry's `NodeParams` for templates and blocks), so a misspelt
 * type or parameter is a compile error, never a node that silently drops it.
 */
export class GraphBuilder<P extends object = AnyParams> {
  private readonly nodes: GraphNode[] = [];
  private readonly edges: GraphEdge[] = [];
  private readonly inputTargets: PortRef[] = [];
  private readonly counters = new Map<string, number>();

  /** Adds a node fed by `from` (one source goes to port "in", several to "in0", "in1", …). */
  add<T extends keyof P & string>(
    type: T,
    params?: P[T],
    from: Source | Source[] = [],
    label?: string,
  ): Source {
    const id = this.nextId(type);
    // The schema's input type is a plain object of JSON values: what a node's params hold.
    const values = (params ?? {}) as Record<string, unknown>;
    const node: GraphNode = { id, type, params: values, position: { x: 0, y: this.nodes.length * ROW } };
    this.nodes.push(label === undefined ? node : { ...node, label });
    const sources = Array.isArray(from) ? from : [from];
    sources.forEach((src, i) =>
      this.connect(src, { node: id, port: sources.length === 1 ? 'in' : `in${i}` }),
    );
    return { node: id, port: 'out' };
  }

  /** Adds layers one after another, each fed by the one before. */
  chain(from: Source, layers: readonly ChainStep<P>[]): Source {
    return layers.reduce((src, [type, params]) => this.add(type, params, src), from);
  }

  graph(): Graph {
    return { nodes: this.nodes, edges: this.edges, blocks: [] };
  }

  body(out: Source): BlockBody {
    return {
      nodes: this.nodes,
      edges: this.edges,
      inputs: [{ name: 'in', targets: this.inputTargets }],
      outputs: [{ name: 'out', source: out }],
    };
  }

  private connect(src: Source, dst: PortRef): void {
    if (src === BLOCK_INPUT) {
      this.inputTargets.push(dst);
      return;
    }
    const id = `e${this.edges.length + 1}`;
    this.edges.push({
      id,
      source: src.node,
      sourceHandle: src.port,
      target: dst.node,
      targetHandle: dst.port,
    });
  }

  private nextId(type: string): string {
    const stem = type
      .replace(/^block:/, '')
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase();
    const n = (this.counters.get(stem) ?? 0) + 1;
    this.counters.set(stem, n);
    return `${stem}${n}`;
  }
}
