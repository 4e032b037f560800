import type { z } from 'zod';
import type { BlockBody, GraphNode } from '../graph/document.ts';
import type { ParamsVersioning } from '../layers/kind.ts';

/**
 * A composite block: parameters in, a sub-graph out. Built-in blocks and user blocks both are one; its
 * parameters are versioned as a layer kind's are.
 */
export interface BlockKind<A = Record<string, unknown>> extends ParamsVersioning {
  /** Built-ins use a short name ("vgg"); user blocks use their definition's id. Nodes say "block:<ref>". */
  ref: string;
  title: string;
  description: string;
  params: z.ZodType<A>;
  expand(args: A): BlockBody;
}

/** A block kind, its ref and parameter schema kept exact (the catalogue derives typed builders from them). */
export function defineBlock<const R extends string, S extends z.ZodType>(
  kind: BlockKind<z.output<S>> & { ref: R; params: S },
): BlockKind<z.output<S>> & { ref: R; params: S } {
  return kind;
}

/** Node types of the boundary nodes shown inside a block: never layer types, never saved. */
export const BLOCK_INPUT_TYPE = '@input';
export const BLOCK_OUTPUT_TYPE = '@output';

export const isBoundaryNode = (node: GraphNode): boolean =>
  node.type === BLOCK_INPUT_TYPE || node.type === BLOCK_OUTPUT_TYPE;
