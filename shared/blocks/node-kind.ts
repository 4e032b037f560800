import { blockRef, type BlockDefinition } from '../graph/document.ts';
import { layerKind } from '../layers/registry.ts';
import { findBlock } from './catalogue.ts';

/** What any node's type names, layer or block: its title and the schema of its parameters. */
export interface NodeKind {
  title: string;
  params: unknown;
}

/** The kind of a node's type ("Conv2D", "block:vgg", "block:<user block id>"), or undefined when none is. */
export function nodeKind(type: string, userBlocks: readonly BlockDefinition[]): NodeKind | undefined {
  const ref = blockRef(type);
  return ref === null ? layerKind(type) : findBlock(ref, userBlocks);
}
