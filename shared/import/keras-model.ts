import type { Graph, GraphEdge, GraphNode, PortRef } from '../graph/document.ts';
import { deepestPath, MAX_NESTING } from '../graph/file-format.ts';
import { defaultParams } from '../blocks/node-ports.ts';
import { layerKind } from '../layers/registry.ts';
import { compiledPads } from '../layers/pooling.ts';
import type { Pads } from '../layers/spatial.ts';
import { failure, success, type Result } from '../result.ts';
import type { Shape } from '../shape.ts';

/**
 * Reads a Keras model's topology (a tfjs `model.json` in the layers format, as Blockwise's own runs write, or
 * the JSON of Keras's `model.to_json()`, Keras 2 or 3) into an editable graph: each supported layer becomes a
 * node with its parameters. A layer Blockwise has no node for is refused, naming it, never approximated.
 */

type Config = Record<string, unknown>;

/** One Keras layer: its class, name, config, and the layers whose outputs it takes. */
interface KerasLayer {
  className: string;
  name: string;
  config: Config;
  inbound: string[];
}

/** What a layer's output is in the graph: a node's port and the shape there (C×H×W or a vector). */
interface Tensor {
  source: PortRef;
  shape: Shape;
  /** Pads of a −∞ padding layer still to be taken by the max pooling after it. */
  pendingPads?: Pads;
}

export interface ImportedModel {
  name: string;
  graph: Graph;
  /** For each node made from a layer: that layer's name, whose saved weights (`name/kernel`, …) it takes. */
  weightSources: Record<string, string>;
}

class Refusal extends Error {}

const isRecord = (v: unknown): v is Config => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The topology inside a tfjs model.json, a Keras JSON, or a tfjs topology with its training config. */
function topologyOf(json: unknown): Config {
  if (!isRecord(json)) throw new Refusal('this is not a Keras or tfjs model (not a JSON object)');
  const inner = isRecord(json['modelTopology']) ? json['modelTopology'] : json;
  const topology = isRecord(inner['model_config']) ? inner['model_config'] : inner;
  if (typeof topology['class_name'] !== 'string' || !isRecord(topology['config']))
    throw new Refusal('this is not a Keras or tfjs model (no "class_name" and "config")');
  return topology;
}

/** The layer names an inbound node entry refers to: Keras 2's [[name, 0, 0, {}], …] or Keras 3's args. */
function inboundNames(entry: unknown): string[] {
  if (Array.isArray(entry))
    return entry.flatMap((e) => (Array.isArray(e) && typeof e[0] === 'string' ? [e[0]] : []));
  if (!isRecord(entry)) return [];
  const names: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isRecord(v)) {
      const history = isRecord(v['config']) ? v['config']['keras_history'] : undefined;
      if (v['class_name'] === '__keras_tensor__' && Array.isArray(history)) names.push(String(history[0]));
    }
  };
  visit(entry['args']);
  return names;
}

/** The model's layers in order, each with the layers it takes (a Sequential model: the one before). */
function layersOf(topology: Config): KerasLayer[] {
  const config = topology['config'] as Config;
  const raw = Array.isArray(config['layers']) ? config['layers'] : Array.isArray(config) ? config : null;
  if (!raw) throw new Refusal('the model has no list of layers');
  const sequential = topology['class_name'] === 'Sequential';
  const names: string[] = [];
  return raw.map((l: unknown, i: number): KerasLayer => {
    if (!isRecord(l) || typeof l['class_name'] !== 'string' || !isRecord(l['config']))
      throw new Refusal(`layer ${i} is not a Keras layer`);
    const name = String(l['name'] ?? l['config']['name'] ?? `layer${i}`);
    names.push(name);
    const inboundNodes = Array.isArray(l['inbound_nodes']) ? l['inbound_nodes'] : [];
    if (inboundNodes.length > 1) throw new Refusal(`layer "${name}" is used more than once (shared layers)`);
    const inbound = sequential ? (i > 0 ? [names[i - 1]!] : []) : inboundNames(inboundNodes[0]);
    return { className: l['class_name'], name, config: l['config'], inbound };
  });
}

const pairOf = (v: unknown, what: string, layer: string): [number, number] => {
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => Number.isInteger(n)))
    throw new Refusal(`layer "${layer}": ${what} ${JSON.stringify(v)} is not one or two whole numbers`);
  return [p[0] as number, p[1] as number];
};

/** [h, w] as a single number when both are the same, as Blockwise writes it. */
const compact = ([h, w]: [number, number]): number | [number, number] => (h === w ? h : [h, w]);

const ACTIVATIONS: Record<string, string> = {
  linear: 'none',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  gelu: 'gelu',
};

function activationOf(layer: KerasLayer): string {
  const a = layer.config['activation'] ?? 'linear';
  const name = typeof a === 'string' ? a : isRecord(a) ? String(a['class_name'] ?? '').toLowerCase() : '';
  const mapped = ACTIVATIONS[name];
  if (!mapped) throw new Refusal(`layer "${layer.name}": activation "${name}" is not supported`);
  return mapped;
}

function channelsLast(layer: KerasLayer): void {
  const format = layer.config['data_format'];
  if (format !== undefined && format !== null && format !== 'channels_last')
    throw new Refusal(`layer "${layer.name}": data_format "${String(format)}" (only channels_last is read)`);
}

/** Pads TF's 'same' puts around a window (more at the end when odd), for an input of h×w. */
function samePads(h: number, w: number, kernel: [number, number], stride: [number, number]): Pads {
  const total = (size: number, k: number, s: number) => Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
  const [th, tw] = [total(h, kernel[0], stride[0]), total(w, kernel[1], stride[1])];
  return { top: th >> 1, bottom: th - (th >> 1), left: tw >> 1, right: tw - (tw >> 1) };
}

const samePadding = (p: Pads) => p.top === p.bottom && p.left === p.right;

/**
 * Pooling params with PyTorch's symmetric padding and ceil mode that pad exactly as Keras does (its 'same'
 * and any −∞ padding before it); refused when no such params exist.
 */
function poolingParamsFor(layer: KerasLayer, input: Tensor, kind: 'MaxPool2D' | 'AvgPool2D'): Config {
  channelsLast(layer);
  const kernel = pairOf(layer.config['pool_size'], 'pool_size', layer.name);
  const stride = pairOf(layer.config['strides'] ?? kernel, 'strides', layer.name);
  const same = layer.config['padding'] === 'same';
  const before = input.pendingPads ?? { top: 0, bottom: 0, left: 0, right: 0 };
  const [, h, w] = input.shape as [number, number, number];
  const extra = same
    ? samePads(h + before.top + before.bottom, w + before.left + before.right, kernel, stride)
    : { top: 0, bottom: 0, left: 0, right: 0 };
  const pads: Pads = {
    top: before.top + extra.top,
    bottom: before.bottom + extra.bottom,
    left: before.left + extra.left,
    right: before.right + extra.right,
  };
  const base: Config = {
    kernel: compact(kernel),
    stride: compact(stride),
    padding: compact([pads.top, pads.left]),
  };
  // Average pooling over 'same' padding divides by the window's part inside the image.
  const averaging = kind === 'AvgPool2D' ? { countIncludePad: !same } : {};
  for (const ceilMode of [false, true]) {
    const params = { ...base, ceilMode, ...averaging };
    const parsed = layerKind(kind)!.params.safeParse(params);
    if (!parsed.success) continue;
    const out = layerKind(kind)!.infer([input.shape], parsed.data);
    if (!out.ok) continue;
    const got = compiledPads(input.shape, out.shape, parsed.data as never);
    const exact =
      got.top === pads.top &&
      got.bottom === pads.bottom &&
      got.left === pads.left &&
      got.right === pads.right;
    if (exact && (kind === 'MaxPool2D' || samePadding(pads) || !same)) return params;
  }
  throw new Refusal(
    `layer "${layer.name}": its padding (${pads.top}, ${pads.bottom}, ${pads.left}, ${pads.right}) has no PyTorch-style equivalent`,
  );
}

/** Keras's BatchNormalization momentum keeps that much of the running value; PyTorch's takes that much of the batch. */
function batchNormParams(layer: KerasLayer): Config {
  const axis = layer.config['axis'];
  const last =
    axis === -1 || axis === 3 || (Array.isArray(axis) && axis.length === 1 && [3, -1].includes(axis[0]));
  if (!last) throw new Refusal(`layer "${layer.name}": BatchNormalization over axis ${JSON.stringify(axis)}`);
  if (layer.config['center'] === false || layer.config['scale'] === false)
    throw new Refusal(`layer "${layer.name}": BatchNormalization without center or scale`);
  return {
    eps: Number(layer.config['epsilon'] ?? 1e-3),
    momentum: Number((1 - Number(layer.config['momentum'] ?? 0.99)).toPrecision(6)),
  };
}

function zeroPaddingParams(layer: KerasLayer): Config {
  const p = layer.config['padding'];
  if (typeof p === 'number') return { padding: p };
  if (Array.isArray(p) && p.every((x) => typeof x === 'number'))
    return { padding: pairOf(p, 'padding', layer.name) };
  if (Array.isArray(p) && p.length === 2) {
    const [[t, b], [l, r]] = [pairOf(p[0], 'padding', layer.name), pairOf(p[1], 'padding', layer.name)];
    return { padding: t === b && l === r ? compact([t, l]) : [t, b, l, r] };
  }
  throw new Refusal(`layer "${layer.name}": padding ${JSON.stringify(p)}`);
}

function mergeAxis(layer: KerasLayer): void {
  const axis = layer.config['axis'];
  if (axis !== undefined && axis !== -1 && axis !== 3)
    throw new Refusal(`layer "${layer.name}": Concatenate along axis ${String(axis)} (only channels)`);
}

/** A node's type and parameters for a layer, from its config (and its input, where the shape matters). */
function nodeFor(layer: KerasLayer, inputs: Tensor[]): { type: string; params: Config } {
  const c = layer.config;
  switch (layer.className) {
    case 'Conv2D': {
      channelsLast(layer);
      const padding = c['padding'] === 'same' ? 'same' : 0;
      if ((c['groups'] ?? 1) !== 1) throw new Refusal(`layer "${layer.name}": grouped convolution`);
      return {
        type: 'Conv2D',
        params: {
          filters: c['filters'],
          kernel: compact(pairOf(c['kernel_size'], 'kernel_size', layer.name)),
          stride: compact(pairOf(c['strides'] ?? 1, 'strides', layer.name)),
          padding,
          dilation: compact(pairOf(c['dilation_rate'] ?? 1, 'dilation_rate', layer.name)),
          bias: c['use_bias'] !== false,
          activation: activationOf(layer),
        },
      };
    }
    case 'Dense':
      return {
        type: 'Dense',
        params: { units: c['units'], bias: c['use_bias'] !== false, activation: activationOf(layer) },
      };
    case 'Activation':
      return { type: 'Activation', params: { fn: activationOf(layer) } };
    case 'ReLU':
      if (c['max_value'] != null || Number(c['threshold'] ?? 0) !== 0)
        throw new Refusal(`layer "${layer.name}": ReLU with a cap or threshold`);
      return Number(c['negative_slope'] ?? 0) === 0
        ? { type: 'Activation', params: { fn: 'relu' } }
        : { type: 'Activation', params: { fn: 'leakyRelu', negativeSlope: Number(c['negative_slope']) } };
    case 'LeakyReLU':
      return {
        type: 'Activation',
        params: { fn: 'leakyRelu', negativeSlope: Number(c['alpha'] ?? c['negative_slope'] ?? 0.3) },
      };
    case 'Softmax':
      return { type: 'Activation', params: { fn: 'softmax' } };
    case 'BatchNormalization':
      return { type: 'BatchNorm', params: batchNormParams(layer) };
    case 'MaxPooling2D':
      return { type: 'MaxPool2D', params: poolingParamsFor(layer, inputs[0]!, 'MaxPool2D') };
    case 'AveragePooling2D':
      return { type: 'AvgPool2D', params: poolingParamsFor(layer, inputs[0]!, 'AvgPool2D') };
    case 'GlobalAveragePooling2D':
      if (c['keepdims'] === true) throw new Refusal(`layer "${layer.name}": keepdims`);
      return { type: 'GlobalAvgPool', params: {} };
    case 'Flatten':
      return { type: 'Flatten', params: {} };
    case 'Dropout':
      return { type: 'Dropout', params: { rate: c['rate'] } };
    case 'ZeroPadding2D':
      return { type: 'ZeroPadding2D', params: zeroPaddingParams(layer) };
    case 'Add':
      return { type: 'Add', params: { inputs: inputs.length } };
    case 'Concatenate':
      mergeAxis(layer);
      return { type: 'Concat', params: { inputs: inputs.length } };
    default:
      throw new Refusal(`layer "${layer.name}" is a ${layer.className}, which Blockwise has no node for`);
  }
}

/** An input layer's shape, [batch, H, W, C]. */
function inputNode(layer: KerasLayer): { type: string; params: Config } {
  const shape = layer.config['batch_input_shape'] ?? layer.config['batch_shape'];
  if (!Array.isArray(shape) || shape.length !== 4)
    throw new Refusal(`input "${layer.name}" is not an image batch (shape ${JSON.stringify(shape)})`);
  const [, height, width, channels] = shape as number[];
  return { type: 'Input', params: { channels, height, width } };
}

/** Node ids as tfjs accepts them (letters, digits, _ and -, not starting with _), unique. */
function idMaker() {
  const taken = new Set<string>();
  return (name: string): string => {
    const base = name.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[^A-Za-z]+/, '') || 'layer';
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    return id;
  };
}

/**
 * Which layers fold into another: a linear Conv2D or Dense whose only consumer is an Activation takes that
 * activation (one node, as Blockwise compiles it: `x_conv` then `x`); the model's last softmax is the Output.
 */
function foldedActivations(layers: KerasLayer[], output: string): Map<string, KerasLayer> {
  const consumers = new Map<string, number>();
  for (const l of layers) for (const i of l.inbound) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  const byName = new Map(layers.map((l) => [l.name, l]));
  const folds = new Map<string, KerasLayer>();
  for (const l of layers) {
    if (l.className !== 'Activation' || l.name === output || l.inbound.length !== 1) continue;
    const from = byName.get(l.inbound[0]!);
    if (!from || !['Conv2D', 'Dense'].includes(from.className) || consumers.get(from.name) !== 1) continue;
    if ((from.config['activation'] ?? 'linear') === 'linear') folds.set(from.name, l);
  }
  return folds;
}

/** The one output layer's name. */
function outputName(topology: Config, layers: KerasLayer[]): string {
  const outputs = (topology['config'] as Config)['output_layers'];
  if (Array.isArray(outputs) && outputs.length > 1) throw new Refusal('the model has several outputs');
  const first = Array.isArray(outputs) ? outputs[0] : undefined;
  const named = Array.isArray(first) ? first[0] : isRecord(first) ? undefined : first;
  return typeof named === 'string' ? named : layers[layers.length - 1]!.name;
}

/** The params a node sets apart from its kind's defaults: what the user would have typed. */
function withoutDefaults(type: string, params: Config) {
  const d = defaultParams(type, []);
  return Object.fromEntries(
    Object.entries(params).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(d[k])),
  );
}

/** Builds the graph, layer by layer, checking each shape with the node's own rule. */
class GraphAssembly {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  readonly tensors = new Map<string, Tensor>();
  readonly weightSources: Record<string, string> = {};
  readonly newId = idMaker();

  add(id: string, type: string, params: Config, inputs: Tensor[], label: string): Tensor {
    const kind = layerKind(type)!;
    const parsed = kind.params.safeParse(params);
    if (!parsed.success)
      throw new Refusal(
        `layer "${label}": ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`,
      );
    const out = kind.infer(
      inputs.map((t) => t.shape),
      parsed.data,
    );
    if (!out.ok) throw new Refusal(`layer "${label}": ${out.problem.message}`);
    this.nodes.push({
      id,
      type,
      params: withoutDefaults(type, params),
      position: { x: 0, y: this.nodes.length * 130 },
    });
    inputs.forEach((t, i) =>
      this.edges.push({
        id: `e${this.edges.length + 1}`,
        source: t.source.node,
        sourceHandle: t.source.port,
        target: id,
        targetHandle: inputs.length === 1 ? 'in' : `in${i}`,
      }),
    );
    return { source: { node: id, port: 'out' }, shape: out.shape };
  }
}

function importLayers(layers: KerasLayer[], output: string): GraphAssembly {
  const g = new GraphAssembly();
  const folds = foldedActivations(layers, output);
  const foldedInto = new Map([...folds].map(([from, act]) => [act.name, from]));
  for (const layer of layers) {
    const inputs = layer.inbound.map((name) => {
      const t = g.tensors.get(name);
      if (!t) throw new Refusal(`layer "${layer.name}" takes "${name}", which comes later or does not exist`);
      if (t.pendingPads && layer.className !== 'MaxPooling2D')
        throw new Refusal(`layer "${name}" pads with −∞ before a ${layer.className}, not a max pooling`);
      return t;
    });
    g.tensors.set(layer.name, importLayer(g, layer, inputs, folds, foldedInto, output));
  }
  return g;
}

function importLayer(
  g: GraphAssembly,
  layer: KerasLayer,
  inputs: Tensor[],
  folds: Map<string, KerasLayer>,
  foldedInto: Map<string, string>,
  output: string,
): Tensor {
  if (layer.className === 'InputLayer') {
    const { type, params } = inputNode(layer);
    return g.add(g.newId(layer.name), type, params, [], layer.name);
  }
  if (inputs.length === 0) throw new Refusal(`layer "${layer.name}" takes no input`);
  // An activation folded into the layer before it: that layer's node already is its output.
  if (foldedInto.has(layer.name)) return inputs[0]!;
  // Blockwise's own −∞ padding before max pooling: the pooling takes it as its padding.
  if (layer.className === 'BlockwiseConstantPad2D') {
    const [[top, bottom], [left, right]] = layer.config['pads'] as [[number, number], [number, number]];
    return { ...inputs[0]!, pendingPads: { top, bottom, left, right } };
  }
  const isOutput = layer.name === output;
  const { type, params } = nodeFor(layer, inputs);
  const folded = folds.get(layer.name);
  const finalParams = folded ? { ...params, activation: nodeFor(folded, inputs).params['fn'] } : params;
  // The model's softmax is the Output (softmax with cross-entropy when training).
  if (isOutput && type === 'Activation' && finalParams['fn'] === 'softmax')
    return g.add(g.newId(layer.name), 'Output', {}, inputs, layer.name);
  const softmaxHead = isOutput && finalParams['activation'] === 'softmax';
  const id = g.newId(folded ? folded.name : layer.name);
  const node = g.add(
    id,
    type,
    softmaxHead ? { ...finalParams, activation: 'none' } : finalParams,
    inputs,
    layer.name,
  );
  g.weightSources[id] = layer.name;
  return isOutput ? g.add(g.newId('output'), 'Output', {}, [node], layer.name) : node;
}

/** Whether a JSON text is meant as a Keras or tfjs model (not a Blockwise graph file): worth importing. */
export function looksLikeKerasModel(json: unknown): boolean {
  return isRecord(json) && (isRecord(json['modelTopology']) || typeof json['class_name'] === 'string');
}

/** A Keras or tfjs model JSON as a Blockwise graph, or why it cannot be one. */
export function importKerasModel(text: string): Result<ImportedModel, string> {
  try {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return failure(`this is not JSON (${(e as Error).message})`);
    }
    // Hostile nesting would overflow the walk of a layer's inbound nodes; a model never nests this deep.
    const tooDeep = deepestPath(json, MAX_NESTING);
    if (tooDeep !== null) return failure(`${tooDeep}: nested more than ${MAX_NESTING} levels deep`);
    const topology = topologyOf(json);
    const layers = layersOf(topology);
    if (!layers.length) return failure('the model has no layers');
    const sequentialStart = topology['class_name'] === 'Sequential' && layers[0]!.className !== 'InputLayer';
    const all = sequentialStart ? [sequentialInput(layers[0]!), ...layers] : layers;
    if (sequentialStart) all[1] = { ...all[1]!, inbound: [all[0]!.name] };
    const g = importLayers(all, outputName(topology, all));
    const config = topology['config'] as Config;
    return success({
      name: String(config['name'] ?? 'Imported model'),
      graph: { nodes: g.nodes, edges: g.edges, blocks: [] },
      weightSources: g.weightSources,
    });
  } catch (e) {
    if (e instanceof Refusal) return failure(e.message);
    throw e;
  }
}

/** A Sequential model's first layer names its input shape; the input becomes a layer of its own. */
function sequentialInput(first: KerasLayer): KerasLayer {
  const shape = first.config['batch_input_shape'] ?? first.config['batch_shape'];
  return { className: 'InputLayer', name: 'input', config: { batch_input_shape: shape }, inbound: [] };
}
