import type { z } from 'zod';
import type { BlockDefinition } from '../graph/document.ts';
import type { LayerParams } from '../layers/registry.ts';
import type { BlockKind } from './block-kind.ts';
import { denseBlock } from './dense-block.ts';
import { inceptionBlock } from './inception-block.ts';
import { ninBlock } from './nin-block.ts';
import { residualBlock } from './residual-block.ts';
import { transitionBlock } from './transition-block.ts';
import { userBlockKind } from './user-block.ts';
import { vggBlock } from './vgg-block.ts';

/** The blocks the app ships, in palette order. Typed by their own arguments; erased here as in the layer registry. */
const builtinKinds = [
  vggBlock,
  ninBlock,
  inceptionBlock,
  residualBlock,
  denseBlock,
  transitionBlock,
] as const;
export const builtinBlocks: readonly BlockKind[] = builtinKinds as readonly BlockKind[];

/** Every node type a template may add, layers and built-in blocks, with its parameters as written. */
export type NodeParams = LayerParams & {
  [K in (typeof builtinKinds)[number] as `block:${K['ref']}`]: z.input<K['params']>;
};

const builtins = new Map(builtinBlocks.map((b) => [b.ref, b]));

/** A user block's kind is made once per definition (a schema each): expansion asks for it at every instance. */
const userKinds = new WeakMap<BlockDefinition, BlockKind>();

/** The document's blocks by id, once per list: a file may place thousands of instances of dozens of blocks. */
const userBlocksById = new WeakMap<readonly BlockDefinition[], Map<string, BlockDefinition>>();

/** A built-in block, or one of the document's own; the document's cannot shadow a built-in. */
export function findBlock(ref: string, userBlocks: readonly BlockDefinition[]): BlockKind | undefined {
  const builtin = builtins.get(ref);
  if (builtin) return builtin;
  let byId = userBlocksById.get(userBlocks);
  if (!byId) {
    byId = new Map();
    // The first of a repeated id wins, as a search from the start would find it.
    for (const b of userBlocks) if (!byId.has(b.id)) byId.set(b.id, b);
    userBlocksById.set(userBlocks, byId);
  }
  const def = byId.get(ref);
  if (!def) return undefined;
  let kind = userKinds.get(def);
  if (!kind) userKinds.set(def, (kind = userBlockKind(def)));
  return kind;
}
