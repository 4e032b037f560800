import { z } from 'zod';
import type { BlockDefinition, GraphNode } from '../graph/document.ts';
import { blockRef } from '../graph/document.ts';
import { layerKind, outputPorts } from '../layers/registry.ts';
import { BLOCK_INPUT_TYPE, BLOCK_OUTPUT_TYPE } from './block-kind.ts';
import { findBlock } from './catalogue.ts';

export interface NodePorts {
  inputs: readonly string[];
  outputs: readonly string[];
}

const SINGLE: NodePorts = { inputs: ['in'], outputs: ['out'] };

/**
 * The ports a node shows on the canvas. Parameters that do not parse fall back to the defaults, so a node
 * with a bad value keeps its handles (and its edges) while the user fixes it.
 */
export function nodePorts(node: GraphNode, blocks: readonly BlockDefinition[]): NodePorts {
  if (node.type === BLOCK_INPUT_TYPE) return { inputs: [], outputs: ['out'] };
  if (node.type === BLOCK_OUTPUT_TYPE) return { inputs: ['in'], outputs: [] };
  const ref = blockRef(node.type);
  if (ref !== null) {
    const def = blocks.find((b) => b.id === ref);
    if (def) return { inputs: def.inputs.map((i) => i.name), outputs: def.outputs.map((o) => o.name) };
    return findBlock(ref, blocks) ? SINGLE : { inputs: [], outputs: [] };
  }
  const kind = layerKind(node.type);
  if (!kind) return { inputs: [], outputs: [] };
  const parsed = kind.params.safeParse(node.params);
  const params = parsed.success ? parsed.data : kind.params.parse({});
  return { inputs: kind.inputs(params), outputs: outputPorts(kind) };
}

/** What a node type is called: the layer type, or the block's name. */
export function kindTitle(type: string, blocks: readonly BlockDefinition[]): string {
  const ref = blockRef(type);
  return ref === null ? type : (findBlock(ref, blocks)?.title ?? type);
}

/** A node's title: its label, else its layer type or block name. */
export const nodeTitle = (node: GraphNode, blocks: readonly BlockDefinition[]): string =>
  node.label || kindTitle(node.type, blocks);

/** The schema a node's parameters must satisfy: its layer's, or its block's arguments. */
export function paramsSchema(type: string, blocks: readonly BlockDefinition[]): z.ZodType | undefined {
  const ref = blockRef(type);
  return ref === null ? layerKind(type)?.params : findBlock(ref, blocks)?.params;
}

/** The parameters a new node starts with: its kind's defaults, written out so the inspector shows them all. */
export function defaultParams(type: string, blocks: readonly BlockDefinition[]): Record<string, unknown> {
  const parsed = paramsSchema(type, blocks)?.safeParse({});
  return parsed?.success ? (parsed.data as Record<string, unknown>) : {};
}

/** The allowed values of an enum parameter (an activation, say), so the inspector can offer a list; else null. */
export function paramChoices(schema: z.ZodType | undefined, name: string): readonly string[] | null {
  let field: unknown = schema instanceof z.ZodObject ? schema.shape[name] : undefined;
  while (field instanceof z.ZodDefault || field instanceof z.ZodOptional || field instanceof z.ZodNullable)
    field = field.unwrap();
  return field instanceof z.ZodEnum ? (field.options as string[]) : null;
}

/** A few parameters in words, e.g. "filters 64 · kernel 3 · padding 1": the line under a node's title. */
export function paramSummary(node: GraphNode): string {
  return Object.entries(node.params)
    .filter(([, v]) => v !== null && typeof v !== 'object')
    .slice(0, 4)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(' · ');
}
