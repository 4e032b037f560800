import { z } from 'zod';
import { bound, issueWords, takesWords, type SchemaNode } from '../schema-words.ts';
import { trainConfigSchema, type TrainConfig, type TrainConfigInput } from './train-config.ts';

/**
 * The training recipe's fields as people set them: one row each drives the Train panel's field, the CLI's
 * flag and its help, and where the value sits in the document's recipe (its TrainConfig path). Bounds,
 * choices, defaults and whether a field can be empty are read from the recipe's zod schema, so a value a
 * field takes is one the schema takes. Adding a recipe field: its schema line in train-config.ts, one row here.
 */
export interface RecipeField {
  /** Where the value sits in the recipe, dot-separated. */
  readonly path: string;
  /** The CLI flag (without --) and the panel field's test id: kebab-case, unique. */
  readonly name: string;
  readonly label: string;
  /** How the panel shows it; null: not in the panel (the panel sets it another way, or never). */
  readonly widget: 'number' | 'choice' | 'check' | null;
  /** False: no flag of its own (the CLI sets it through another row, as `--augment flip` sets the flip). */
  readonly cli?: false;
  /** A number field's step. */
  readonly step?: number | 'any';
  /** A flag whose text is not one value (a list): how it is read, and what the help shows for it. */
  readonly parse?: (text: string) => unknown;
  readonly placeholder?: string;
  /** The CLI's spelling of a choice, where it differs from the recipe's. */
  readonly spell?: Readonly<Record<string, string>>;
}

/** A flag's list of numbers ("0.5,0.25"). */
const numberList = (text: string) => text.split(',').map(Number);

/** `--augment flip,crop=4,brightness=0.2,contrast=0.2`: the augmentation, unnamed parts refused. */
function parseAugment(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of text.split(',')) {
    const [key, value] = part.split('=');
    if (key === 'flip') out['flip'] = true;
    else if (key === 'crop') out['cropPadding'] = Number(value ?? 4);
    else if (key === 'brightness' || key === 'contrast') out[key] = Number(value ?? 0.2);
    else throw new RecipeFieldError(`unknown "${part}" (use flip, crop=4, brightness=0.2, contrast=0.2)`);
  }
  return out;
}

/** `--freeze features` (all but the head), `none`, or the ids of the nodes to keep fixed. */
const parseFreeze = (text: string): unknown =>
  text === 'features' || text === 'none' ? text : text.split(',');

export const RECIPE_FIELDS = [
  { path: 'epochs', name: 'epochs', label: 'Epochs', widget: 'number' },
  { path: 'batchSize', name: 'batch', label: 'Batch', widget: 'number' },
  { path: 'lr', name: 'lr', label: 'Learning rate', widget: 'number', step: 'any' },
  { path: 'optimizer.kind', name: 'optimizer', label: 'Optimizer', widget: 'choice' },
  { path: 'optimizer.momentum', name: 'momentum', label: 'Momentum', widget: 'number', step: 0.05 },
  { path: 'optimizer.nesterov', name: 'nesterov', label: 'Nesterov', widget: 'check' },
  {
    path: 'optimizer.weightDecay',
    name: 'weight-decay',
    label: 'Weight decay',
    widget: 'number',
    step: 'any',
  },
  {
    path: 'schedule.kind',
    name: 'schedule',
    label: 'Schedule',
    widget: 'choice',
    spell: { oneCycle: 'one-cycle' },
  },
  { path: 'schedule.warmupSteps', name: 'warmup', label: 'Warm-up (batches)', widget: 'number' },
  { path: 'earlyStoppingPatience', name: 'patience', label: 'Early stop (epochs)', widget: 'number' },
  { path: 'restoreBest', name: 'restore-best', label: 'End with the best epoch', widget: 'check' },
  { path: 'augment.cropPadding', name: 'crop', label: 'Crop padding', widget: 'number', cli: false },
  { path: 'augment.flip', name: 'flip', label: 'Flip left–right', widget: 'check', cli: false },
  {
    path: 'augment',
    name: 'augment',
    label: 'Augmentation',
    widget: null,
    parse: parseAugment,
    placeholder: 'flip,crop=4,brightness=0.2,contrast=0.2',
  },
  { path: 'maxBatchesPerEpoch', name: 'max-batches', label: 'Batches per epoch', widget: 'number' },
  {
    path: 'validationFraction',
    name: 'validation',
    label: 'Validation split',
    widget: 'number',
    step: 0.05,
  },
  { path: 'seed', name: 'seed', label: 'Seed', widget: 'number' },
  { path: 'init', name: 'init', label: 'Initial weights', widget: 'choice' },
  // The panel has its own list of layers to keep fixed; the CLI names them, or all but the head.
  {
    path: 'freeze',
    name: 'freeze',
    label: 'Freeze',
    widget: null,
    parse: parseFreeze,
    placeholder: 'features|none|NODE,NODE',
  },
  // The panel resizes to what the network's Input wants; the CLI lets a script choose.
  { path: 'preprocess.resize', name: 'resize', label: 'Resize to', widget: null },
  {
    path: 'preprocess.normalize',
    name: 'normalize',
    label: 'Normalize',
    widget: null,
    parse: numberList,
    placeholder: 'MEAN,STD',
  },
] as const satisfies readonly RecipeField[];

/** A row by its name. */
export const recipeField = (name: (typeof RECIPE_FIELDS)[number]['name']): RecipeField =>
  RECIPE_FIELDS.find((f) => f.name === name)!;

/** The recipe's CLI flags. */
export type RecipeFlag = Exclude<(typeof RECIPE_FIELDS)[number], { cli: false }>['name'];

/** The rows the CLI has flags for, in the table's order (the order flags are applied and listed). */
export const FLAG_FIELDS = RECIPE_FIELDS.filter(
  (f): f is Exclude<(typeof RECIPE_FIELDS)[number], { cli: false }> => !('cli' in f),
);

export const RECIPE_FLAGS: readonly RecipeFlag[] = FLAG_FIELDS.map((f) => f.name);

/** A value a flag or field cannot take, said in words. */
export class RecipeFieldError extends Error {}

// The schema's own description of its inputs, read once: zod writes it, so bounds are never copied by hand.
const RECIPE_SCHEMA = z.toJSONSchema(trainConfigSchema, { io: 'input' }) as SchemaNode;

/** What the schema says a field takes. */
export interface FieldSpec {
  kind: 'integer' | 'number' | 'boolean' | 'choice' | 'other';
  nullable: boolean;
  min?: { value: number; inclusive: boolean };
  max?: { value: number; inclusive: boolean };
  default?: unknown;
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The option of a union the value is (by its `kind`), or the first that has `key`. */
function unionOption(options: readonly SchemaNode[], value: unknown, key: string): SchemaNode | undefined {
  const kind = isPlain(value) ? value['kind'] : undefined;
  const ofKind = options.find((o) => {
    const k = o.properties?.['kind'];
    return k?.const === kind || k?.enum?.includes(String(kind));
  });
  return kind !== undefined ? ofKind : options.find((o) => o.properties?.[key]);
}

/**
 * The schema at a path, through nullable wrappers and the recipe's unions; undefined where it has none.
 * A default is the node's own, or what its parent's default holds for it (the optimizer's kind).
 */
function schemaAt(path: string, recipe: unknown): { node: SchemaNode; nullable: boolean } | undefined {
  let node: SchemaNode | undefined = RECIPE_SCHEMA;
  let value = recipe;
  let nullable = false;
  for (const key of path.split('.')) {
    if (node?.oneOf) node = { ...unionOption(node.oneOf, value, key), default: node.default };
    const inherited: unknown = isPlain(node?.default) ? node.default[key] : undefined;
    node = node?.properties?.[key];
    if (!node) return undefined;
    value = isPlain(value) ? value[key] : undefined;
    const present: SchemaNode | undefined = node.anyOf?.find((o) => o.type !== 'null');
    nullable = present !== undefined;
    node = { ...(present ?? node), default: node.default !== undefined ? node.default : inherited };
  }
  return { node: node!, nullable };
}

/** What the schema says a field takes, in the recipe as it is (a union's own option: SGD's momentum). */
export function fieldSpec(field: RecipeField, recipe: unknown = {}): FieldSpec | undefined {
  const found = schemaAt(field.path, recipe);
  if (!found) return undefined;
  const { node, nullable } = found;
  const kind =
    node.enum || node.const
      ? 'choice'
      : node.type === 'integer' || node.type === 'number' || node.type === 'boolean'
        ? node.type
        : 'other';
  return {
    kind,
    nullable,
    min: bound(node.minimum, node.exclusiveMinimum),
    max: bound(node.maximum, node.exclusiveMaximum),
    default: node.default,
  };
}

const choicesOf = (node: SchemaNode | undefined) => node?.enum ?? (node?.const ? [node.const] : []);

/** A choice field's choices; a union's `kind` offers every option's (the optimizer's kinds). */
export function choicesFor(field: RecipeField): readonly string[] {
  const parent = field.path.split('.').slice(0, -1).join('.');
  const union = parent && field.path.endsWith('.kind') ? schemaAt(parent, {})?.node.oneOf : undefined;
  if (union) return union.flatMap((o) => choicesOf(o.properties?.['kind']));
  return choicesOf(schemaAt(field.path, {})?.node);
}

/**
 * Whether the field is part of the recipe as it is (momentum is SGD's and RMSprop's, not Adam's). A union's
 * `kind` always is: whether its value is one of the kinds is the schema's to say.
 */
export const fieldApplies = (field: RecipeField, recipe: unknown) =>
  field.path.endsWith('.kind') || schemaAt(field.path, recipe) !== undefined;

/** The field's value in a checked recipe; the schema's default where a part it sits in is empty. */
export function readField(config: TrainConfig, field: RecipeField): unknown {
  let value: unknown = config;
  for (const key of field.path.split('.')) value = isPlain(value) ? value[key] : undefined;
  return value === undefined ? fieldSpec(field, config)?.default : value;
}

/**
 * The recipe with the field set (the rest as it was). Choosing another kind of a union (the optimizer)
 * starts that kind from its defaults: Adam takes nothing of SGD's settings.
 */
export function writeField(recipe: TrainConfigInput, field: RecipeField, value: unknown): TrainConfigInput {
  const keys = field.path.split('.');
  const parentIsUnion =
    keys.length > 1 && keys.at(-1) === 'kind' && schemaAt(keys.slice(0, -1).join('.'), recipe)?.node.oneOf;
  const set = (at: unknown, depth: number): Plain => {
    const here = isPlain(at) ? at : {};
    const key = keys[depth]!;
    if (depth === keys.length - 1)
      return parentIsUnion && here[key] !== value ? { [key]: value } : { ...here, [key]: value };
    return { ...here, [key]: set(here[key], depth + 1) };
  };
  return set(recipe, 0) as TrainConfigInput;
}

/** A schema issue in words a person uses ("at most 100"), with the field it is about when one is. */
export function recipeProblem(recipe: unknown): { field: RecipeField | null; words: string } | null {
  const parsed = trainConfigSchema.safeParse(recipe);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  const at = issue.path.join('.');
  const field = RECIPE_FIELDS.find((f) => f.path === at) ?? null;
  return { field, words: field ? fieldIssueWords(issue, field) : `${at}: ${issue.message}` };
}

function fieldIssueWords(issue: z.core.$ZodIssue, field: RecipeField): string {
  const node = schemaAt(field.path, {})?.node;
  return issueWords(
    issue,
    () => {
      const spec = fieldSpec(field);
      if (spec?.kind === 'choice')
        return `one of ${choicesFor(field)
          .map((c) => spelled(field, c))
          .join(', ')}`;
      if (spec?.kind === 'integer') return 'a whole number';
      if (spec?.kind === 'number') return 'a number';
      return node ? takesWords(node) : issue.message;
    },
    node,
  );
}

/** A choice as the CLI spells it. */
export const spelled = (field: RecipeField, choice: string) => field.spell?.[choice] ?? choice;

/**
 * The value a flag's text gives the field: a number, a choice in the CLI's spelling, true for a switch, or
 * what the row's own reader makes of it. What the schema refuses is said by `recipeProblem` afterwards.
 */
export function flagValue(field: RecipeField, given: string | boolean): unknown {
  if (field.parse) return field.parse(String(given));
  const spec = fieldSpec(field);
  if (spec?.kind === 'boolean') return given === true || given === 'true';
  if (spec?.kind === 'choice')
    return Object.entries(field.spell ?? {}).find(([, s]) => s === given)?.[0] ?? given;
  const n = Number(given);
  if (given === '' || !Number.isFinite(n)) throw new RecipeFieldError(`"${String(given)}" is not a number`);
  return n;
}

/** What a flag's help shows after it: N, X, its choices; nothing for a switch. */
export function flagPlaceholder(field: RecipeField): string {
  if (field.placeholder) return field.placeholder;
  const spec = fieldSpec(field);
  if (spec?.kind === 'boolean') return '';
  if (spec?.kind === 'choice')
    return choicesFor(field)
      .map((c) => spelled(field, c))
      .join('|');
  return spec?.kind === 'integer' ? 'N' : 'X';
}

/** A field's bounds and default in words, for the help ("1 to 10000, default 10"). */
export function fieldRange(field: RecipeField): string {
  const spec = fieldSpec(field);
  if (!spec) return '';
  const low = spec.min && `${spec.min.inclusive ? '' : '> '}${spec.min.value}`;
  const high = spec.max && `${spec.max.inclusive ? '' : '< '}${spec.max.value}`;
  const range = low && high ? `${low} to ${high}` : (low && `from ${low}`) || (high && `up to ${high}`);
  const fallback = spec.default === null ? 'none' : String(spec.default);
  const parts = [range, spec.default !== undefined && `default ${fallback}`].filter(Boolean);
  return parts.join(', ');
}

/** A number field's min and max as an input takes them (its bounds that include their ends). */
export function inputBounds(field: RecipeField): { min?: number; max?: number } {
  const spec = fieldSpec(field);
  return {
    min: spec?.min?.inclusive ? spec.min.value : undefined,
    max: spec?.max?.inclusive ? spec.max.value : undefined,
  };
}
