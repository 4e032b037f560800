import { type GraphFile, graphFile } from '../../shared/graph/file-format.ts';
import { parseDesignFile } from '../../shared/blocks/design-file.ts';
import { findTemplate, templates } from '../../shared/templates/catalogue.ts';
import type { NetworkOptions } from '../../shared/templates/network-builder.ts';
import { failure, success, type Result } from '../../shared/result.ts';

export type ReadText = (path: string) => Promise<string>;

const TEMPLATE_PREFIX = 'template:';

/** The built-in template a source names ("template:<id>"), if it names one. */
export const templateOf = (source: string) =>
  source.startsWith(TEMPLATE_PREFIX) ? findTemplate(source.slice(TEMPLATE_PREFIX.length)) : undefined;

function describeReadError(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path}: no such file`;
  if (code === 'EISDIR') return `${path}: is a folder, not a graph file`;
  if (code === 'EACCES') return `${path}: permission denied`;
  return `${path}: ${(e as Error).message}`;
}

/**
 * A graph from a file, or from a built-in template named "template:<id>" built for the classes and channels
 * asked. Errors are one readable line.
 */
export async function loadGraphSource(
  source: string,
  readText: ReadText,
  options: NetworkOptions = {},
): Promise<Result<GraphFile, string>> {
  if (source.startsWith(TEMPLATE_PREFIX)) {
    const id = source.slice(TEMPLATE_PREFIX.length);
    const t = findTemplate(id);
    if (!t) return failure(`no template "${id}" (try: ${templates.map((x) => x.id).join(', ')})`);
    return success(graphFile(t.build(options), t.title));
  }
  if (options.classes !== undefined || options.channels !== undefined)
    return failure(
      `${source}: --classes and --channels build templates; in a graph file, set the Input's channels and the units of the Dense layer before Output`,
    );
  let text: string;
  try {
    text = await readText(source);
  } catch (e) {
    return failure(describeReadError(source, e));
  }
  const parsed = parseDesignFile(text);
  return parsed.ok ? parsed : failure(`${source}: ${parsed.error.message}`);
}
