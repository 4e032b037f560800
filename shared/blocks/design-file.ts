import { blockRef, type Graph } from '../graph/document.ts';
import {
  parseGraphFile,
  serializeGraphFile,
  type GraphFile,
  type GraphFileError,
  type NodeKindVersions,
} from '../graph/file-format.ts';
import type { ParamsVersioning } from '../layers/kind.ts';
import { layerKind } from '../layers/registry.ts';
import type { Result } from '../result.ts';
import { findBlock } from './catalogue.ts';

/** The layer kind or built-in block a node type names; a user block's params are its own to keep. */
function kindOf(type: string): ParamsVersioning | undefined {
  const ref = blockRef(type);
  return ref === null ? layerKind(type) : findBlock(ref, []);
}

/** The app's node kinds, as the graph format reads their versions. */
export const appKindVersions: NodeKindVersions = {
  version: (type) => {
    const kind = kindOf(type);
    return kind && (kind.version ?? 1);
  },
  migrate: (type, params, from) => {
    const step = kindOf(type)?.migrate;
    if (!step) throw new Error(`${type} declares no step from version ${from}`);
    return step(params, from);
  },
};

/** The node types of every design in a file: its variants and their blocks' insides. */
function typesUsed(file: GraphFile): string[] {
  const graphs: Graph[] = [file.graph, ...(file.variants ?? []).map((v) => v.graph)];
  const nodes = graphs.flatMap((g) => [...g.nodes, ...g.blocks.flatMap((b) => b.nodes)]);
  return [...new Set(nodes.map((n) => n.type))].sort();
}

/** A design file read as this app reads it: the format's migrations, then each node kind's. */
export const parseDesignFile = (text: string): Result<GraphFile, GraphFileError> =>
  parseGraphFile(text, { kinds: appKindVersions });

/** A design file's text, naming the parameter version of each kind it uses (a later reader migrates by it). */
export function serializeDesignFile(file: GraphFile): string {
  const kinds = Object.fromEntries(
    typesUsed(file).flatMap((type) => {
      const version = appKindVersions.version(type);
      return version === undefined ? [] : [[type, version]];
    }),
  );
  return serializeGraphFile({ ...file, kinds });
}
