import { z } from 'zod';
import { failure, success, type Result } from '../result.ts';
import { graphSchema, type Graph } from './document.ts';

export const GRAPH_FORMAT = 'blockwise/graph';

/** Every format version ever written, oldest first. A new version adds a name here and a migration below. */
export const formatVersions = [{ version: 1, name: 'first' }] as const;
export const CURRENT_FORMAT_VERSION = formatVersions[formatVersions.length - 1]!.version;

/** migrations[v] turns a version-v document into version v + 1. They only go up. */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;
export const graphMigrations: Readonly<Record<number, Migration>> = {};

export const graphFileSchema = z.object({
  format: z.literal(GRAPH_FORMAT),
  formatVersion: z.literal(CURRENT_FORMAT_VERSION),
  app: z.object({ name: z.string(), version: z.string() }),
  graph: graphSchema,
  runs: z.array(z.unknown()).optional(),
  meta: z.object({
    name: z.string().max(500),
    description: z.string().max(20_000).optional(),
    created: z.string().optional(),
    modified: z.string().optional(),
    /** The training recipe last set for this network (the app's Train panel); checked where it is used. */
    recipe: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type GraphFile = z.infer<typeof graphFileSchema>;

export type GraphFileError =
  | { kind: 'notAGraphFile'; message: string }
  | { kind: 'versionTooNew'; version: number; supported: number; message: string }
  | { kind: 'migrationFailed'; from: number; message: string }
  | { kind: 'invalid'; path: string; message: string };

export const APP_INFO = { name: 'Blockwise', version: '0.1.0' } as const;

export function graphFile(graph: Graph, name: string, recipe?: Record<string, unknown>): GraphFile {
  return {
    format: GRAPH_FORMAT,
    formatVersion: CURRENT_FORMAT_VERSION,
    app: { ...APP_INFO },
    graph,
    meta: recipe ? { name, recipe } : { name },
  };
}

export function serializeGraphFile(file: GraphFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** How deep JSON may nest in a graph file (a real one nests about 8 levels; writing one back recurses). */
export const MAX_NESTING = 64;

/** The path of the first value nested deeper than `limit`, or null. Iterative: any depth is safe to check. */
function deepestPath(root: unknown, limit: number): string | null {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: root, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= limit) return formatPath(path);
    for (const [k, v] of Object.entries(value))
      stack.push({ value: v, path: [...path, Array.isArray(value) ? Number(k) : k] });
  }
  return null;
}

/** Reads a graph file of any known version. Never throws on user input. */
export function parseGraphFile(
  text: string,
  migrations: Readonly<Record<number, Migration>> = graphMigrations,
  current: number = CURRENT_FORMAT_VERSION,
): Result<GraphFile, GraphFileError> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return failure({ kind: 'notAGraphFile', message: `This is not JSON (${(e as Error).message}).` });
  }
  const tooDeep = deepestPath(raw, MAX_NESTING);
  if (tooDeep !== null) {
    return failure({
      kind: 'invalid',
      path: tooDeep,
      message: `${tooDeep}: nested more than ${MAX_NESTING} levels deep; a graph file never needs that. Remove the nesting.`,
    });
  }
  if (!isRecord(raw) || raw['format'] !== GRAPH_FORMAT) {
    return failure({
      kind: 'notAGraphFile',
      message: `This JSON is not a Blockwise graph (no "format": "${GRAPH_FORMAT}").`,
    });
  }
  const version = raw['formatVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return failure({
      kind: 'invalid',
      path: 'formatVersion',
      message: 'formatVersion must be a positive integer.',
    });
  }
  if (version > current) {
    return failure({
      kind: 'versionTooNew',
      version,
      supported: current,
      message: `This file was saved by a newer Blockwise (format ${version}; this one reads up to ${current}). Update Blockwise to open it.`,
    });
  }
  const migrated = migrate(raw, version, migrations, current);
  return migrated.ok ? validate(migrated.value, current) : migrated;
}

function migrate(
  doc: Record<string, unknown>,
  from: number,
  migrations: Readonly<Record<number, Migration>>,
  current: number,
): Result<Record<string, unknown>, GraphFileError> {
  let out = doc;
  for (let v = from; v < current; v++) {
    const step = migrations[v];
    try {
      if (!step) throw new Error(`no migration from version ${v}`);
      out = { ...step(out), formatVersion: v + 1 };
    } catch (e) {
      return failure({
        kind: 'migrationFailed',
        from: v,
        message: `Could not upgrade this file from format ${v}: ${(e as Error).message}.`,
      });
    }
  }
  return success(out);
}

function validate(doc: Record<string, unknown>, current: number): Result<GraphFile, GraphFileError> {
  const schema =
    current === CURRENT_FORMAT_VERSION
      ? graphFileSchema
      : graphFileSchema.extend({ formatVersion: z.literal(current) });
  const parsed = schema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return failure({
      kind: 'invalid',
      path: formatPath(issue.path),
      message: `${formatPath(issue.path)}: ${issue.message}`,
    });
  }
  const broken = findBrokenReference(parsed.data.graph);
  return broken ? failure({ kind: 'invalid', ...broken }) : success(parsed.data as GraphFile);
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)),
    '',
  );
}

type BrokenReference = { path: string; message: string };

/** The first id used twice in a list, with its JSON path. */
function duplicateId(items: readonly { id: string }[], list: string, what: string): BrokenReference | null {
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    const path = `graph.${list}[${i}].id`;
    if (seen.has(item.id)) return { path, message: `${path}: ${what} id "${item.id}" is used twice.` };
    seen.add(item.id);
  }
  return null;
}

/** Ids must be unique and edges must join existing nodes: the schema alone cannot say so. */
function findBrokenReference(graph: Graph): BrokenReference | null {
  const duplicate =
    duplicateId(graph.nodes, 'nodes', 'node') ??
    duplicateId(graph.edges, 'edges', 'edge') ??
    duplicateId(graph.blocks, 'blocks', 'block');
  if (duplicate) return duplicate;
  const nodes = new Set(graph.nodes.map((n) => n.id));
  for (const [i, e] of graph.edges.entries()) {
    for (const end of ['source', 'target'] as const) {
      const path = `graph.edges[${i}].${end}`;
      if (!nodes.has(e[end])) return { path, message: `${path}: no node has the id "${e[end]}".` };
    }
  }
  return null;
}
