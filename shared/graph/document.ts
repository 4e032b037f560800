import { z } from 'zod';

/** The graph document: what a .blockwise.json file holds and what every command edits. */

const id = z.string().min(1).max(200);
/** `/` joins a block instance's id to its inner nodes' ids once blocks are flattened, so a node may not use it. */
const nodeId = id.refine((s) => !s.includes('/'), 'must not contain "/" (it separates nodes inside blocks)');
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
/**
 * A module's path in the exported PyTorch model ("conv1", "layer1.0", "branch2.0.conv"): names a reference
 * model's state_dict uses, so its weights load by name. Dot-separated identifiers, or indices after the first.
 */
const torchName = z
  .string()
  .max(200)
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|[0-9]+))*$/,
    'must be a dotted PyTorch module path',
  );

export const positionSchema = z.object({ x: finite, y: finite });

export const graphNodeSchema = z.object({
  id: nodeId,
  /** A layer type ("Conv2D") or a block instance ("block:vgg", "block:<user block id>"). */
  type: z.string().min(1).max(200),
  params: z.record(z.string(), z.unknown()),
  position: positionSchema,
  label: z.string().max(200).optional(),
  /** This node's module path in the exported PyTorch model (its id when unset). */
  torchName: torchName.optional(),
  /** A block instance's: the module paths of the block's own nodes inside its class, by inner id. */
  torchNames: z.record(z.string(), torchName).optional(),
});

export const graphEdgeSchema = z.object({
  id,
  source: nodeId,
  sourceHandle: z.string().min(1),
  target: nodeId,
  targetHandle: z.string().min(1),
});

export const portRefSchema = z.object({ node: nodeId, port: z.string().min(1) });

/** An exposed parameter of a user block: one name that sets the same value on several inner nodes. */
export const blockParamSchema = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier'),
  bindings: z.array(z.object({ node: nodeId, param: z.string().min(1) })).min(1),
});

/** A sub-graph with named boundary ports: a block's inside. */
export const blockBodySchema = z.object({
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
  inputs: z.array(z.object({ name: z.string().min(1), targets: z.array(portRefSchema).min(1) })),
  outputs: z.array(z.object({ name: z.string().min(1), source: portRefSchema })).min(1),
});

export const blockDefinitionSchema = blockBodySchema.extend({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -'),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  params: z.array(blockParamSchema),
});

export const graphSchema = z.object({
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
  blocks: z.array(blockDefinitionSchema).default([]),
});

export type Position = z.infer<typeof positionSchema>;
export type GraphNode = z.infer<typeof graphNodeSchema>;
export type GraphEdge = z.infer<typeof graphEdgeSchema>;
export type PortRef = z.infer<typeof portRefSchema>;
export type BlockParam = z.infer<typeof blockParamSchema>;
export type BlockBody = z.infer<typeof blockBodySchema>;
export type BlockDefinition = z.infer<typeof blockDefinitionSchema>;
export type Graph = z.infer<typeof graphSchema>;

export const BLOCK_TYPE_PREFIX = 'block:';

export function blockRef(type: string): string | null {
  return type.startsWith(BLOCK_TYPE_PREFIX) ? type.slice(BLOCK_TYPE_PREFIX.length) : null;
}

export const emptyGraph = (): Graph => ({ nodes: [], edges: [], blocks: [] });
