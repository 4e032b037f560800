import { z } from 'zod';

/**
 * A schema's refusals in the words a person uses ("at most 100", "a whole number, at least 1"), read from
 * the schema itself: the recipe's fields and every layer's and block's parameters say them the same way,
 * and no message shows zod's own text or the largest safe integer that zod gives every whole number.
 */

/** The part of a JSON Schema (as zod writes it) that the words are read from. */
export interface SchemaNode {
  type?: string;
  enum?: readonly string[];
  const?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  properties?: Record<string, SchemaNode>;
  anyOf?: readonly SchemaNode[];
  oneOf?: readonly SchemaNode[];
  prefixItems?: readonly SchemaNode[];
  items?: SchemaNode;
  maxLength?: number;
}

export interface Bound {
  value: number;
  inclusive: boolean;
}

/** A bound a person would name: zod bounds every whole number by 2^53 − 1, which is no limit to them. */
export const bound = (inclusive: number | undefined, exclusive: number | undefined): Bound | undefined =>
  inclusive !== undefined && Math.abs(inclusive) < Number.MAX_SAFE_INTEGER
    ? { value: inclusive, inclusive: true }
    : exclusive !== undefined
      ? { value: exclusive, inclusive: false }
      : undefined;

const number = (n: number | bigint) => Number(n).toLocaleString('en-US', { maximumFractionDigits: 12 });

const lowWords = (b: Bound) => `${b.inclusive ? 'at least' : 'more than'} ${number(b.value)}`;
const highWords = (b: Bound) => `${b.inclusive ? 'at most' : 'less than'} ${number(b.value)}`;

/** A number's range in words: "from 1 to 64", "more than 0 and at most 1", "at least 1"; "" for none. */
function rangeWords(node: SchemaNode): string {
  const low = bound(node.minimum, node.exclusiveMinimum);
  const high = bound(node.maximum, node.exclusiveMaximum);
  if (low?.inclusive && high?.inclusive) return `from ${number(low.value)} to ${number(high.value)}`;
  return [low && lowWords(low), high && highWords(high)].filter(Boolean).join(' and ');
}

/** What a schema takes, in words: "a whole number, at least 1", "true or false", "one of relu, tanh". */
export function takesWords(node: SchemaNode): string {
  const options = node.anyOf ?? node.oneOf;
  if (options) {
    const named = options.flatMap((o) => (o.const !== undefined ? [o.const] : []));
    const rest = options.filter((o) => o.const === undefined && o.type !== 'null').map(takesWords);
    if (named.length) rest.push(named.join(' or '));
    if (options.some((o) => o.type === 'null')) rest.push('empty');
    return rest.join(', or ');
  }
  if (node.enum) return `one of ${node.enum.join(', ')}`;
  if (node.const !== undefined) return `only ${node.const}`;
  if (node.type === 'boolean') return 'true or false';
  if (node.type === 'integer' || node.type === 'number') {
    const range = rangeWords(node);
    return `${node.type === 'integer' ? 'a whole number' : 'a number'}${range ? `, ${range}` : ''}`;
  }
  const items = node.prefixItems;
  if (node.type === 'array' && items?.length) {
    const example =
      items.length === 2 ? 'a pair such as “3, 5”' : `${items.length} values such as “1, 1, 2, 2”`;
    return `${example} (${takesWords(items[0]!)} each)`;
  }
  if (node.type === 'array' && node.items) return `a list (each ${takesWords(node.items)})`;
  if (node.type === 'string')
    return node.maxLength === undefined ? 'a text' : `a text of at most ${number(node.maxLength)} characters`;
  return 'a value of the kind shown';
}

/** What a length bound counts: a text's characters, a list's items; a number's bound has no unit. */
const unit = (origin: string) =>
  origin === 'string' ? ' characters' : origin === 'array' || origin === 'set' ? ' items' : '';

/**
 * Why a value was refused: the bound it passed ("at most 100"), or else what the field takes, which
 * `takes` says (a field knows its own choices and their spelling). `node`, the field's schema, names its
 * own maximum where zod refused a number for passing 2^53 − 1 first.
 */
export function issueWords(issue: z.core.$ZodIssue, takes: () => string, node?: SchemaNode): string {
  if (issue.code === 'too_big') {
    const passed = bound(Number(issue.maximum), undefined) && {
      value: Number(issue.maximum),
      inclusive: issue.inclusive ?? true,
    };
    const b = passed || (node && bound(node.maximum, node.exclusiveMaximum));
    return b ? `${highWords(b)}${unit(issue.origin)}` : 'too large a number';
  }
  if (issue.code === 'too_small') {
    // "At least 1 characters" reads wrong: a text or list that needs one is one that must not be empty.
    if (Number(issue.minimum) === 1 && unit(issue.origin) !== '') return 'must not be empty';
    const passed = bound(Number(issue.minimum), undefined) && {
      value: Number(issue.minimum),
      inclusive: issue.inclusive ?? true,
    };
    return passed ? `${lowWords(passed)}${unit(issue.origin)}` : 'too small a number';
  }
  // A refinement's message is ours, written as a sentence; zod's own messages are not.
  if (issue.code === 'custom') return issue.message;
  return takes();
}

const described = new WeakMap<z.ZodType, SchemaNode>();

/** The schema's own description of what it takes (its JSON Schema, as zod writes it), made once per schema. */
export function describedSchema(schema: z.ZodType): SchemaNode {
  let node = described.get(schema);
  if (!node) {
    // A user block's arguments are z.unknown() (its layers check them): 'any' describes what JSON cannot.
    node = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as SchemaNode;
    described.set(schema, node);
  }
  return node;
}

/** Why a schema refuses a value, in words ("at most 255 characters"); null when it takes it. */
export function refusalWords(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value);
  if (parsed.success) return null;
  const node = describedSchema(schema);
  return issueWords(parsed.error.issues[0]!, () => takesWords(node), node);
}
