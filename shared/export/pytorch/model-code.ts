import { feedingOf, topLevelId, type InstancePorts } from '../../blocks/flatten-graph.ts';
import type { Graph, PortRef } from '../../graph/document.ts';
import { pyClassName, pyIdentifier } from '../../layers/torch-syntax.ts';
import { hasErrors, inferShapes, type GraphInference } from '../../shapes/infer-shapes.ts';
import { failure, success, type Result } from '../../result.ts';

type Flat = GraphInference['flat'];

/** model.py, and where each layer's weights live in its state_dict. */
export interface ModelCode {
  code: string;
  /** The state_dict prefix of each flat layer that has a module ("residual1.conv2d1"), by flat node id. */
  modulePaths: Map<string, string>;
}

/** Why a graph cannot be exported, naming the node at fault (its top-level id) when one is. */
export interface ExportRefusal {
  nodeId: string | null;
  message: string;
}

class Refused extends Error {
  constructor(readonly refusal: ExportRefusal) {
    super(refusal.message);
  }
}

/** A graph with a problem is exported by no writer: the first problem, at its node. */
export function graphProblem(inference: GraphInference): ExportRefusal | null {
  if (!hasErrors(inference)) return null;
  const first = inference.diagnostics.find((d) => d.severity === 'error')!;
  return { nodeId: first.nodeId ?? null, message: `The graph has a problem: ${first.message}` };
}

const HEADER = `# Written by Blockwise. Shapes in comments are C×H×W for one sample (the batch comes first).
import torch
import torch.nn as nn
import torch.nn.functional as F
`;
import { isOutputNode } from '../../layers/registry.ts';

/**
 * The graph as a PyTorch nn.Module: one attribute per layer, a class per distinct block (its instances
 * share it), a shape comment on every line of forward, and Blockwise's semantics exactly (each layer
 * kind writes its own code). The model returns logits: the softmax is in the loss.
 */
export function pytorchModel(
  graph: Graph,
  inference: GraphInference = inferShapes(graph),
): Result<ModelCode, ExportRefusal> {
  const problem = graphProblem(inference);
  if (problem) return failure(problem);
  const writer = new ModuleWriter(inference.flat);
  try {
    writer.scope('', MODEL_CLASS, '');
    const classes = writer.classes.map((c) => c.text.replace(CLASS_NAME, c.name));
    return success({ code: [HEADER, ...classes].join('\n\n\n') + '\n', modulePaths: writer.modulePaths });
  } catch (e) {
    if (e instanceof Refused) return failure(e.refusal);
    throw e;
  }
}

const CLASS_NAME = '__CLASS__';
export const MODEL_CLASS = 'Net';
const INDENT = '        ';

/**
 * Where one item of a scope writes: its forward variable, its module's state_dict path, its module's
 * expression (declaring the containers it sits in on first use), how it reads its inputs, the class's lines.
 */
interface ItemLines {
  attr: string;
  modulePath: string;
  self: () => string;
  expression: (source: PortRef) => string;
  init: string[];
  forward: string[];
}

/** One item of a scope's forward: a layer of the scope, or a block instance inside it. */
type Item = { kind: 'layer'; id: string } | { kind: 'instance'; id: string };

class ModuleWriter {
  readonly classes: { name: string; text: string }[] = [];
  readonly modulePaths = new Map<string, string>();
  private readonly feeding: Map<string, Map<string, PortRef>>;
  /** The layers in the order the graph lists them (only those shape inference placed). */
  private readonly listed: Flat['nodes'];
  private readonly torchNames: Map<string, string>;

  constructor(private readonly flat: Flat) {
    this.feeding = feedingOf(flat.edges);
    const placed = new Set(flat.order.map((n) => n.id));
    this.listed = flat.nodes.filter((n) => placed.has(n.id));
    this.torchNames = new Map(flat.nodes.flatMap((n) => (n.torchName ? [[n.id, n.torchName]] : [])));
  }

  /**
   * Writes the class of one scope (the graph, or a block instance's inside: flat ids under `prefix`) and
   * returns its name; an identical class written before is reused.
   */
  scope(prefix: string, name: string, path: string): string {
    const items = this.itemsOf(prefix);
    const names = new ScopeNames(
      prefix,
      items.map((item) => ({ id: item.id, torchName: this.torchNameOf(item) })),
    );
    const instance = prefix ? this.flat.instances.get(prefix.slice(0, -1))! : null;
    const args = instance ? argumentNames([...instance.inputs.keys()]) : ['x'];
    const init: string[] = [];
    const forward: string[] = [];
    const attrs = names.variables;
    const expression = (source: PortRef) => this.expression(source, prefix, attrs, instance, args);
    for (const item of items) {
      const module = names.modules.get(item.id)!;
      const lines = {
        attr: attrs.get(item.id)!,
        modulePath: path ? `${path}.${module}` : module,
        self: () => names.declare(item.id, init),
        expression,
        init,
        forward,
      };
      if (item.kind === 'layer') this.layerLines(item.id, lines);
      else this.instanceLines(item.id, lines);
    }
    forward.push(`return ${this.returned(prefix, instance, expression)}`);
    const text = [
      `class ${CLASS_NAME}(nn.Module):`,
      '    def __init__(self):',
      '        super().__init__()',
      ...(init.length ? init.map((l) => INDENT + l) : []),
      '',
      `    def forward(self, ${args.join(', ')}):`,
      ...forward.map((l) => INDENT + l),
    ].join('\n');
    const same = this.classes.find((c) => c.text === text);
    if (same) return same.name;
    // The model's own class keeps its name: a block called "Net" becomes Net2.
    const taken = new Set([...this.classes.map((c) => c.name), ...(prefix ? [MODEL_CLASS] : [])]);
    let unique = name;
    for (let n = 2; taken.has(unique); n++) unique = `${name}${n}`;
    this.classes.push({ name: unique, text });
    return unique;
  }

  /** The module path an item's node (or its owner instance) names, if any. */
  private torchNameOf(item: Item): string | undefined {
    if (item.kind === 'instance') return this.flat.instances.get(item.id)!.torchName;
    return this.torchNames.get(item.id);
  }

  /**
   * The scope's layers and instances in the graph's own order (the order its nodes are listed, blocks' as
   * their kinds list them), each moved after what feeds it: the modules and their state_dict follow it.
   */
  private itemsOf(prefix: string): Item[] {
    const itemOf = (flatId: string) => itemIn(prefix, flatId);
    const seen = new Set<string>();
    const items: Item[] = [];
    // An instance goes where its first layer is listed, after everything that feeds it from outside.
    const visit = (item: Item) => {
      if (seen.has(item.id)) return;
      seen.add(item.id);
      for (const source of this.sourcesOf(item)) {
        const before = itemOf(source);
        if (before && before.id !== item.id) visit(before);
      }
      items.push(item);
    };
    for (const node of this.listed) {
      const item = itemOf(node.id);
      if (item) visit(item);
    }
    return items;
  }

  /** The flat layers that feed an item from outside it. */
  private sourcesOf(item: Item): string[] {
    if (item.kind === 'layer') return [...(this.feeding.get(item.id)?.values() ?? [])].map((r) => r.node);
    const inside = `${item.id}/`;
    return this.flat.order
      .filter((n) => n.id.startsWith(inside))
      .flatMap((n) => [...(this.feeding.get(n.id)?.values() ?? [])].map((r) => r.node))
      .filter((source) => !source.startsWith(inside));
  }

  private layerLines(id: string, { attr, modulePath, self, expression, init, forward }: ItemLines) {
    const kind = this.flat.kinds.get(id)!;
    const params = this.flat.params.get(id);
    const result = this.flat.results.get(id);
    if (result?.status !== 'ok') throw new Error(`${id} has no shapes`);
    const code = kind.torch.code(params, { inputShapes: result.inputShapes, outputShape: result.shape });
    if ('refused' in code) throw new Refused({ nodeId: topLevelId(id), message: `${id}: ${code.refused}` });
    const ports = this.feeding.get(id);
    const inputs = kind.inputs(params).map((port) => expression(ports!.get(port)!));
    const module = code.module ? self() : '';
    if (code.module) {
      init.push(`${module} = ${code.module}`);
      this.modulePaths.set(id, modulePath);
    }
    const comment =
      kind.role === 'output' && result.shape.length === 1 ? ' logits (softmax in the loss)' : '';
    forward.push(`${attr} = ${code.forward(inputs, module)}  # ${result.shape.join('×')}${comment}`);
  }

  private instanceLines(id: string, { attr, modulePath, self, expression, init, forward }: ItemLines) {
    const instance = this.flat.instances.get(id)!;
    const className = this.scope(`${id}/`, pyClassName(instance.title), modulePath);
    const module = self();
    init.push(`${module} = ${className}()`);
    // Each input port's source, as the first layer it feeds inside sees it.
    const inputs = [...instance.inputs.values()].map((targets) => {
      const first = targets[0]!;
      return expression(this.feeding.get(first.node)!.get(first.port)!);
    });
    const outputs = [...instance.outputs.keys()];
    const names = outputs.length === 1 ? [attr] : outputs.map((o) => `${attr}_${pyIdentifier(o)}`);
    const shapes = [...instance.outputs.values()].map((s) => this.shapeOf(s.node));
    forward.push(`${names.join(', ')} = ${module}(${inputs.join(', ')})  # ${shapes.join(', ')}`);
  }

  /** How a scope refers to a flat layer's output: its own layer, an instance's output, or its own input. */
  private expression(
    source: PortRef,
    prefix: string,
    attrs: Map<string, string>,
    instance: InstancePorts | null,
    args: string[],
  ): string {
    const item = itemIn(prefix, source.node);
    if (item?.kind === 'layer') return attrs.get(item.id)!;
    if (item) {
      const ports = [...this.flat.instances.get(item.id)!.outputs];
      const attr = attrs.get(item.id)!;
      if (ports.length === 1) return attr;
      return `${attr}_${pyIdentifier(ports.find(([, s]) => s.node === source.node)![0])}`;
    }
    // From outside the block: one of its inputs, the one whose targets this scope's layers are fed by.
    const ports = [...instance!.inputs];
    const at = ports.findIndex(([, targets]) =>
      targets.some((t) => this.feeding.get(t.node)?.get(t.port)?.node === source.node),
    );
    return args[at]!;
  }

  private returned(prefix: string, instance: InstancePorts | null, expression: (s: PortRef) => string) {
    if (instance) return [...instance.outputs.values()].map(expression).join(', ');
    const outputs = this.flat.order.filter((n) => isOutputNode(n) && !n.id.includes('/'));
    return outputs.map((n) => expression({ node: n.id, port: 'out' })).join(', ');
  }

  private shapeOf(flatId: string): string {
    const r = this.flat.results.get(flatId);
    return r?.status === 'ok' ? r.shape.join('×') : '?';
  }
}

/**
 * A scope's names: each item's module path (the torch name its node gives, else its id as an identifier;
 * a name taken, or one that would put a module inside another's place, falls back to the id) and its
 * forward variable, distinct even where two read the same once made identifiers. A dotted path lives in
 * nn.ModuleDict containers (`self.layer1['0']`), declared where they are first used.
 */
class ScopeNames {
  readonly modules = new Map<string, string>();
  readonly variables = new Map<string, string>();
  private readonly declared = new Set<string>();

  constructor(prefix: string, items: { id: string; torchName: string | undefined }[]) {
    const leaves = new Set<string>();
    const containers = new Set<string>();
    const free = (path: string) => {
      const parts = path.split('.');
      const above = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('.'));
      const clash = leaves.has(path) || containers.has(path) || above.some((p) => leaves.has(p));
      return !clash && pyIdentifier(parts[0]!) === parts[0];
    };
    const variables = new Set<string>(['x']);
    for (const { id, torchName } of items) {
      const base = pyIdentifier(id.slice(prefix.length));
      let path = torchName && free(torchName) ? torchName : base;
      for (let n = 2; !free(path); n++) path = `${base}_${n}`;
      leaves.add(path);
      path.split('.').forEach((_, i, parts) => i && containers.add(parts.slice(0, i).join('.')));
      this.modules.set(id, path);
      const stem = pyIdentifier(path.replaceAll('.', '_'));
      let variable = stem;
      for (let n = 2; variables.has(variable); n++) variable = `${stem}_${n}`;
      variables.add(variable);
      this.variables.set(id, variable);
    }
  }

  /** The item's module as the class reaches it; the containers it sits in are declared into `init` first. */
  declare(id: string, init: string[]): string {
    const [first, ...rest] = this.modules.get(id)!.split('.');
    let expression = `self.${first}`;
    for (const key of rest) {
      if (!this.declared.has(expression)) init.push(`${expression} = nn.ModuleDict()`);
      this.declared.add(expression);
      expression = `${expression}['${key}']`;
    }
    return expression;
  }
}

/** A block's forward arguments: x for one input, x_<port> for several. */
function argumentNames(ports: string[]): string[] {
  return ports.length === 1 ? ['x'] : ports.map((p) => `x_${pyIdentifier(p)}`);
}

/** Where a flat layer stands in a scope: one of its own layers, inside one of its instances, or outside it. */
function itemIn(prefix: string, flatId: string): Item | null {
  if (!flatId.startsWith(prefix)) return null;
  const rest = flatId.slice(prefix.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { kind: 'layer', id: flatId } : { kind: 'instance', id: prefix + rest.slice(0, slash) };
}
