import { z } from 'zod';
import { failure, success, type Result } from '../result.ts';
import { graphSchema, type Graph } from './document.ts';

export const GRAPH_FORMAT = 'blockwise/graph';

/** Every format version ever written, oldest first. A new version adds a name here and a migration below. */
export const formatVersions = [
  { version: 1, name: 'first' },
  { version: 2, name: 'variants' },
] as const;
export const CURRENT_FORMAT_VERSION = formatVersions[formatVersions.length - 1]!.version;

/** migrations[v] turns a version-v document into version v + 1. They only go up. */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;
export const graphMigrations: Readonly<Record<number, Migration>> = {
  // Version 2 added variants; a version-1 document is one design with none (nothing to change, but a
  // Blockwise that reads only version 1 must refuse a file whose variants it would drop).
  1: (doc) => doc,
};

/**
 * What a reader knows of node kinds' parameters: each type's current version ("conv2d", "block:vgg"), and
 * how params written at an older one read at the next. The graph format cannot see the layer and block
 * kinds (they sit above it), so their reader passes this in (shared/blocks/design-file.ts).
 */
export interface NodeKindVersions {
  /** The current version of a type's parameters; undefined for a type it does not know (left as it is). */
  version(type: string): number | undefined;
  /** Params written at version `from`, as version `from + 1` reads them. */
  migrate(type: string, params: Record<string, unknown>, from: number): Record<string, unknown>;
}

/** The parameter version of each node type a file uses; a type it does not name was written at 1. */
export const kindVersionsSchema = z.record(z.string().max(300), z.number().int().min(1)).optional();

/** How many variants one document keeps (a sweep makes one per value). */
export const MAX_VARIANTS = 64;

/**
 * A variant's id: it never changes while the variant lives, so a run names the variant it trained by it
 * (the graph's hash then says whether the design changed since). Files written before ids have none.
 */
export const variantIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _');

/** A named version of the design, kept in the same document: tabs above the canvas, rows of the compare view. */
export const variantSchema = z.object({
  name: z.string().trim().min(1).max(200),
  graph: graphSchema,
  id: variantIdSchema.optional(),
});
export type Variant = z.infer<typeof variantSchema>;

export const graphFileSchema = z.object({
  format: z.literal(GRAPH_FORMAT),
  formatVersion: z.literal(CURRENT_FORMAT_VERSION),
  app: z.object({ name: z.string(), version: z.string() }),
  /** The variant shown on the canvas when the file was saved (the design, for a file without variants). */
  graph: graphSchema,
  /** The design's other variants, in tab order without the shown one. */
  variants: z
    .array(variantSchema)
    .max(MAX_VARIANTS - 1)
    .optional(),
  runs: z.array(z.unknown()).optional(),
  /** Written for the types used; read (and dropped) when the file is parsed: params are then current. */
  kinds: kindVersionsSchema,
  meta: z.object({
    name: z.string().max(500),
    description: z.string().max(20_000).optional(),
    created: z.string().optional(),
    modified: z.string().optional(),
    /** The training recipe last set for this network (the app's Train panel); checked where it is used. */
    recipe: z.record(z.string(), z.unknown()).optional(),
    /** The shown variant's name, its place among the tabs and its id, when the document has variants. */
    variant: z
      .object({
        name: z.string().trim().min(1).max(200),
        index: z.number().int().min(0).max(MAX_VARIANTS),
        id: variantIdSchema.optional(),
      })
      .optional(),
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

/**
 * A document of several variants, `shown` the one on the canvas; one variant without an id is a plain
 * document.
 */
export function variantsFile(
  variants: readonly Variant[],
  shown: number,
  name: string,
  recipe?: Record<string, unknown>,
): GraphFile {
  const current = variants[shown]!;
  const file = graphFile(current.graph, name, recipe);
  if (variants.length < 2 && current.id === undefined) return file;
  const others = variants.filter((_, i) => i !== shown);
  const id = current.id === undefined ? {} : { id: current.id };
  return {
    ...file,
    ...(others.length ? { variants: others } : {}),
    meta: { ...file.meta, variant: { name: current.name, index: shown, ...id } },
  };
}

/** Every variant of a document, in tab order, and which one was shown; a plain document is one variant. */
export function variantsOf(file: GraphFile): { variants: Variant[]; shown: number } {
  const others = file.variants ?? [];
  const shownName = file.meta.variant?.name ?? file.meta.name;
  const shown = Math.min(file.meta.variant?.index ?? 0, others.length);
  const variants = [...others];
  const id = file.meta.variant?.id;
  variants.splice(shown, 0, { name: shownName, graph: file.graph, ...(id === undefined ? {} : { id }) });
  return { variants, shown };
}

export function serializeGraphFile(file: GraphFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** How deep JSON may nest in a graph file (a real one nests about 8 levels; writing one back recurses). */
export const MAX_NESTING = 64;

/** The path of the first value nested deeper than `limit`, or null. Iterative: any depth is safe to check. */
export function deepestPath(root: unknown, limit: number): string | null {
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

/** How a file is read: the format's migrations and version (tests give others), and the node kinds'. */
export interface ReadOptions {
  migrations?: Readonly<Record<number, Migration>>;
  current?: number;
  /** Without it, node params are read as written (no kind's migration runs). */
  kinds?: NodeKindVersions;
}

/** Reads a graph file of any known version. Never throws on user input. */
export function parseGraphFile(text: string, options: ReadOptions = {}): Result<GraphFile, GraphFileError> {
  const { migrations = graphMigrations, current = CURRENT_FORMAT_VERSION, kinds } = options;
  let raw: unknown;
  // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse refuses as a stray character.
  const json = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    return failure({ kind: 'notAGraphFile', message: notJsonMessage(json, (e as Error).message) });
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
  if (!migrated.ok) return migrated;
  const upgraded = kinds ? migrateParams(migrated.value, kinds) : success(migrated.value);
  return upgraded.ok ? validate(upgraded.value, current) : upgraded;
}

/** Every node of a raw file, wherever it sits: the design, its variants, their blocks' insides. */
function rawNodes(doc: Record<string, unknown>): Record<string, unknown>[] {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const graphs = [doc['graph'], ...list(doc['variants']).map((v) => isRecord(v) && v['graph'])];
  const bodies = graphs.filter(isRecord).flatMap((g) => [g, ...list(g['blocks'])]);
  return bodies.flatMap((b) => (isRecord(b) ? list(b['nodes']).filter(isRecord) : []));
}

/**
 * Node params brought up to their kinds' current versions, step by step, before they are validated; the
 * file's `kinds` goes, since what is read is current. A kind newer than this reader refuses the file.
 */
function migrateParams(
  doc: Record<string, unknown>,
  kinds: NodeKindVersions,
): Result<Record<string, unknown>, GraphFileError> {
  const written = kindVersionsSchema.safeParse(doc['kinds']);
  if (!written.success)
    return failure({
      kind: 'invalid',
      path: 'kinds',
      message: 'kinds: must map node types to versions 1, 2, …',
    });
  // A copy to change (the text was JSON, so JSON copies it whole), without `kinds` (undefined is dropped).
  const copy = JSON.parse(JSON.stringify({ ...doc, kinds: undefined })) as Record<string, unknown>;
  for (const node of rawNodes(copy)) {
    const type = String(node['type']);
    const now = kinds.version(type);
    const from = written.data?.[type] ?? 1;
    if (now === undefined || !isRecord(node['params'])) continue;
    if (from > now)
      return failure({
        kind: 'versionTooNew',
        version: from,
        supported: now,
        message: `This file was saved by a newer Blockwise (its ${type} parameters are version ${from}; this one reads up to ${now}). Update Blockwise to open it.`,
      });
    try {
      for (let v = from; v < now; v++)
        node['params'] = kinds.migrate(type, node['params'] as Record<string, unknown>, v);
    } catch (e) {
      return failure({
        kind: 'migrationFailed',
        from,
        message: `Could not upgrade the ${type} parameters of node "${String(node['id'])}" from version ${from}: ${(e as Error).message}.`,
      });
    }
  }
  return success(copy);
}

const BYTE_ORDER_MARK = '\uFEFF';

/** Where the JSON broke, as the line and column an editor shows (V8 gives a character offset, or none). */
function notJsonMessage(text: string, reason: string): string {
  const offset = /at position (\d+)/.exec(reason)?.[1];
  const at = offset !== undefined ? Number(offset) : /end of JSON input/.test(reason) ? text.length : null;
  if (at === null) return `This is not JSON (${reason}).`;
  const before = text.slice(0, at).split('\n');
  const where = `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
  return `This is not JSON: ${reason.replace(/ in JSON at position \d+/, '')} at ${where}.`;
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
  const graphs: [string, Graph][] = [
    ['graph', parsed.data.graph],
    ...(parsed.data.variants ?? []).map((v, i): [string, Graph] => [`variants[${i}].graph`, v.graph]),
  ];
  for (const [at, graph] of graphs) {
    const broken = findBrokenReference(graph, at);
    if (broken) return failure({ kind: 'invalid', ...broken });
  }
  const twice = variantTwice(variantsOf(parsed.data as GraphFile).variants);
  if (twice) return failure({ kind: 'invalid', path: 'variants', message: `variants: ${twice}` });
  return success(parsed.data as GraphFile);
}

/** Two variants with one name, or one id, said as what to do. */
function variantTwice(variants: readonly Variant[]): string | null {
  const first = (values: (string | undefined)[]) =>
    values.find((v, i) => v !== undefined && values.indexOf(v) !== i);
  const name = first(variants.map((v) => v.name));
  if (name !== undefined) return `two variants are named "${name}"; rename one.`;
  const id = first(variants.map((v) => v.id));
  return id === undefined ? null : `two variants have the id "${id}"; remove one's id.`;
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
    const path = `${list}[${i}].id`;
    if (seen.has(item.id)) return { path, message: `${path}: ${what} id "${item.id}" is used twice.` };
    seen.add(item.id);
  }
  return null;
}

/** Ids must be unique and edges must join existing nodes: the schema alone cannot say so. */
function findBrokenReference(graph: Graph, at: string): BrokenReference | null {
  const duplicate =
    duplicateId(graph.nodes, `${at}.nodes`, 'node') ??
    duplicateId(graph.edges, `${at}.edges`, 'edge') ??
    duplicateId(graph.blocks, `${at}.blocks`, 'block');
  if (duplicate) return duplicate;
  const nodes = new Set(graph.nodes.map((n) => n.id));
  for (const [i, e] of graph.edges.entries()) {
    for (const end of ['source', 'target'] as const) {
      const path = `${at}.edges[${i}].${end}`;
      if (!nodes.has(e[end])) return { path, message: `${path}: no node has the id "${e[end]}".` };
    }
  }
  return null;
}
