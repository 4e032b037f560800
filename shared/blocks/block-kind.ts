import type { z } from 'zod';
import type { BlockBody } from '../graph/document.ts';

/** A composite block: parameters in, a sub-graph out. Built-in blocks and user blocks both are one. */
export interface BlockKind<A = Record<string, unknown>> {
  /** Built-ins use a short name ("vgg"); user blocks use their definition's id. Nodes say "block:<ref>". */
  ref: string;
  title: string;
  description: string;
  params: z.ZodType<A>;
  expand(args: A): BlockBody;
}

export function defineBlock<S extends z.ZodType>(
  kind: BlockKind<z.output<S>> & { params: S },
): BlockKind<z.output<S>> {
  return kind;
}
