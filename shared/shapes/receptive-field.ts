import { feedingOf, topLevelId } from '../blocks/flatten-graph.ts';
import type { Sight } from '../layers/kind.ts';
import type { Diagnostic } from './diagnostic.ts';
import type { GraphInference } from './infer-shapes.ts';
import type { SummaryColumns } from './summary-table.ts';

/**
 * What output position 0 of a node sees along one axis of the input image: the first and last input pixel
 * (either may lie in the padding, below 0 or past the edge), and how far in the input one step of the
 * output moves (the jump, or effective stride). Position i sees [lo + i·jump, hi + i·jump].
 */
interface AxisField {
  lo: number;
  hi: number;
  jump: number;
}

/** A node's field: per axis (H, W), or the whole input at once (after Flatten, Dense, global pooling). */
type Field = { axes: readonly [AxisField, AxisField] } | 'whole';

export type ReceptiveField =
  | {
      kind: 'window';
      /** Input pixels one output position sees, H×W (the extent over every path into it). */
      size: [number, number];
      /** Input pixels between neighbouring output positions (the effective stride). */
      jump: [number, number];
      /** The centre of output position 0's field, in input pixels (negative: it starts in the padding). */
      start: [number, number];
    }
  | { kind: 'whole' };

export interface ReceptiveFields {
  /** Per top-level node (a block: at its output). */
  nodes: Map<string, ReceptiveField>;
  /** Per layer of the flat graph (blocks expanded), by flat id. */
  layers: Map<string, ReceptiveField>;
  /** The input image's H×W, when the graph has one Input of an image. */
  input: [number, number] | null;
  /** Where the field says something about the design: it covers the input long before the head, or stays small. */
  notes: Diagnostic[];
}

const ORIGIN: Field = {
  axes: [
    { lo: 0, hi: 0, jump: 1 },
    { lo: 0, hi: 0, jump: 1 },
  ],
};

/** A window's field from its input's: it widens by the window's span and its stride multiplies the jump. */
function slide(field: Field, { window: w, pads }: Exclude<Sight, 'whole'>): Field {
  if (field === 'whole') return field;
  const before = [pads.top, pads.left] as const;
  const axis = (a: AxisField, i: 0 | 1): AxisField => ({
    lo: a.lo - before[i] * a.jump,
    hi: a.hi + (w.dilation[i] * (w.kernel[i] - 1) - before[i]) * a.jump,
    jump: a.jump * w.stride[i],
  });
  return { axes: [axis(field.axes[0], 0), axis(field.axes[1], 1)] };
}

/**
 * Where paths meet (Add, Concat, or a layer that passes each pixel through), the field is the extent over
 * all of them; their outputs have one size, so their jumps agree (the largest is kept if they do not).
 */
function union(fields: readonly Field[]): Field {
  if (fields.some((f) => f === 'whole')) return 'whole';
  const windows = fields as Extract<Field, { axes: unknown }>[];
  const axis = (i: 0 | 1): AxisField => ({
    lo: Math.min(...windows.map((f) => f.axes[i].lo)),
    hi: Math.max(...windows.map((f) => f.axes[i].hi)),
    jump: Math.max(...windows.map((f) => f.axes[i].jump)),
  });
  return { axes: [axis(0), axis(1)] };
}

const reported = (f: Field): ReceptiveField =>
  f === 'whole'
    ? { kind: 'whole' }
    : {
        kind: 'window',
        size: [f.axes[0].hi - f.axes[0].lo + 1, f.axes[1].hi - f.axes[1].lo + 1],
        jump: [f.axes[0].jump, f.axes[1].jump],
        start: [(f.axes[0].lo + f.axes[0].hi) / 2, (f.axes[1].lo + f.axes[1].hi) / 2],
      };

/**
 * Each layer's field in the flat graph, in data-flow order (a layer with a problem has none); the layers
 * that slide a window, in that order; and the field that reaches the head, the first layer that sees its
 * input whole (Flatten, Dense, global pooling), when there is one.
 */
function flatFields(flat: GraphInference['flat']) {
  const fields = new Map<string, Field>();
  const windowed: string[] = [];
  let head: { id: string; field: Field } | null = null;
  const feeding = feedingOf(flat.edges);
  for (const node of flat.order) {
    const kind = flat.kinds.get(node.id);
    const params = flat.params.get(node.id);
    const result = flat.results.get(node.id);
    if (!kind || result?.status !== 'ok') continue;
    if (kind.role === 'input') {
      fields.set(node.id, ORIGIN);
      continue;
    }
    const sources = kind.inputs(params).map((port) => feeding.get(node.id)?.get(port));
    const inputs = sources.map((s) => (s ? fields.get(s.node) : undefined));
    if (inputs.length === 0 || inputs.some((f) => f === undefined)) continue;
    const seen = union(inputs as Field[]);
    const sight = kind.sight?.(params, result.inputShapes);
    if (sight === 'whole' && seen !== 'whole' && !head) head = { id: sources[0]!.node, field: seen };
    if (sight !== undefined && sight !== 'whole') windowed.push(node.id);
    fields.set(node.id, sight === undefined ? seen : sight === 'whole' ? sight : slide(seen, sight));
  }
  return { fields, windowed, head };
}

/**
 * The receptive field, jump and start of every node, exact through branches, residual adds and dense
 * concatenations (the extent over all paths), and what it says about the design.
 */
export function receptiveFields(
  graph: { nodes: readonly { id: string }[] },
  inference: GraphInference,
): ReceptiveFields {
  const { flat } = inference;
  const found = flatFields(flat);
  const { fields } = found;
  const layers = new Map([...fields].map(([id, f]) => [id, reported(f)]));
  const nodes = new Map<string, ReceptiveField>();
  for (const node of graph.nodes) {
    const field = fieldAt(layers, flat, node.id);
    if (field) nodes.set(node.id, field);
  }
  const inputNode = flat.order.find((n) => flat.kinds.get(n.id)?.role === 'input');
  const inputResult = inputNode && flat.results.get(inputNode.id);
  const shape = inputResult?.status === 'ok' ? inputResult.shape : null;
  const input = shape?.length === 3 ? ([shape[1]!, shape[2]!] as [number, number]) : null;
  return { nodes, layers, input, notes: input ? fieldNotes(found, input) : [] };
}

/** The field of a node by its flat id: a layer's own, a block instance's at its output. */
export function fieldAt(
  layers: ReadonlyMap<string, ReceptiveField>,
  flat: GraphInference['flat'],
  flatId: string,
): ReceptiveField | undefined {
  const output = flat.instances.get(flatId)?.outputs.values().next().value?.node;
  return layers.get(output ?? flatId);
}

/** Windowed layers at most this share of which come after the field covers the input pass without a note. */
const LATE_SHARE = 1 / 3;

/**
 * Two things worth saying: the field covers the whole input while many windowed layers still follow (they
 * see no more of the image), or at the head (where the image is pooled or flattened) it still sees less
 * than half of it in either direction.
 */
function fieldNotes(
  { fields, windowed, head }: ReturnType<typeof flatFields>,
  [h, w]: [number, number],
): Diagnostic[] {
  const notes: Diagnostic[] = [];
  const note = (nodeId: string, message: string) =>
    notes.push({ severity: 'warning', code: 'receptiveField', nodeId, message });
  const covers = (f: Field | undefined) =>
    f !== undefined && f !== 'whole' && size(f, 0) >= h && size(f, 1) >= w;
  const covering = windowed.findIndex((id) => covers(fields.get(id)));
  const after = covering < 0 ? 0 : windowed.length - covering - 1;
  if (covering >= 0 && after >= 3 && after > LATE_SHARE * windowed.length)
    note(
      topLevelId(windowed[covering]!),
      `The receptive field covers the whole ${h}×${w} input here, and ${after} windowed layers follow: they see no more of the image than this one does.`,
    );
  if (head && head.field !== 'whole' && (size(head.field, 0) < h / 2 || size(head.field, 1) < w / 2))
    note(
      topLevelId(head.id),
      `At the head the receptive field is ${size(head.field, 0)}×${size(head.field, 1)} of the ${h}×${w} input: each feature sees less than half the image. More layers, a stride or dilation would widen it.`,
    );
  return notes;
}

/** The summary's receptive-field columns: per node, or per layer when the summary lists layers. */
export function fieldColumns(fields: ReceptiveFields, expanded: boolean): SummaryColumns {
  const byId = expanded ? fields.layers : fields.nodes;
  return {
    header: ['Receptive field', 'Jump', 'Start'],
    cells: (row) => {
      const field = byId.get(row.id);
      if (!field) return ['', '', ''];
      const { size, jump, start } = fieldWords(field);
      return [size, jump, start];
    },
  };
}

/** A field as the summary and the inspector say it: "435×435, jump 32, from 0.5". */
export function fieldWords(f: ReceptiveField): { size: string; jump: string; start: string } {
  if (f.kind === 'whole') return { size: 'whole input', jump: '—', start: '—' };
  const pair = ([a, b]: [number, number], sep: string) => (a === b ? String(a) : `${a}${sep}${b}`);
  return { size: `${f.size[0]}×${f.size[1]}`, jump: pair(f.jump, '×'), start: pair(f.start, ', ') };
}

const size = (f: Extract<Field, { axes: unknown }>, i: 0 | 1) => f.axes[i].hi - f.axes[i].lo + 1;
