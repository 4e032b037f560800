import { feedingOf, topLevelId } from '../../blocks/flatten-graph.ts';
import type { Graph, PortRef } from '../../graph/document.ts';
import { NEG_INF_PADDING } from '../../layers/keras-syntax.ts';
import { pyIdentifier } from '../../layers/torch-syntax.ts';
import { failure, success, type Result } from '../../result.ts';
import { inferShapes, type GraphInference } from '../../shapes/infer-shapes.ts';
import type { Shape } from '../../shape.ts';
import { graphProblem, type ExportRefusal } from '../pytorch/model-code.ts';

/**
 * The graph as a Keras 3 functional-API script: each layer kind writes its own layers (padding layers where
 * Keras's 'same' and 'valid' cannot say it), named after the node, with its output shape (H×W×C, as Keras
 * holds images) in a comment; the model outputs logits. Run, it builds the model and checks its parameter
 * counts against Blockwise's.
 */

const NEG_INF_CLASS = `@keras.saving.register_keras_serializable(package="blockwise")
class ${NEG_INF_PADDING}(layers.Layer):
    """Pads height and width with -inf: PyTorch's max-pooling padding, which never wins the max."""

    def __init__(self, padding, **kwargs):
        super().__init__(**kwargs)
        self.padding = tuple(tuple(p) for p in padding)

    def call(self, x):
        (top, bottom), (left, right) = self.padding
        return keras.ops.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], constant_values=float("-inf"))

    def compute_output_shape(self, shape):
        (top, bottom), (left, right) = self.padding
        grow = lambda n, by: None if n is None else n + by
        return (shape[0], grow(shape[1], top + bottom), grow(shape[2], left + right), shape[3])

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}`;

const MAIN = `if __name__ == "__main__":
    model = build_model()
    model.summary()
    count = lambda weights: sum(int(math.prod(w.shape)) for w in weights)
    counts = {"trainable": count(model.trainable_weights), "nonTrainable": count(model.non_trainable_weights)}
    print(json.dumps({"output": list(model.outputs[0].shape[1:]), **counts}))
    if counts != BLOCKWISE_COUNTS:
        sys.exit(f"parameter counts {counts} differ from Blockwise's {BLOCKWISE_COUNTS}")`;

/** "16×28×28" (C×H×W) as Keras holds it: "28×28×16". */
const hwc = (s: Shape) => (s.length === 3 ? [s[1], s[2], s[0]] : s).join('×');

/** A constructor expression with the layer's name added: layers.Flatten() → layers.Flatten(name="f"). */
const named = (expr: string, name: string) =>
  expr.replace(/\)$/, `${expr.endsWith('()') ? '' : ', '}name="${name}")`);

/** Keras layer names: letters, digits and _ (a block's inner layers: "residual1_conv2d1"). */
const layerName = (flatId: string) => flatId.replace(/[^A-Za-z0-9_]/g, '_');

/** The lines of build_model's body, and the variables of the model's input and output. */
function modelLines(inference: GraphInference): { lines: string[]; output: string; input: string } {
  const { flat } = inference;
  const feeding = feedingOf(flat.edges);
  const variables = new Map<string, string>();
  const lines: string[] = [];
  let input = '';
  let output = '';
  let block = '';
  for (const node of flat.order) {
    const id = node.id;
    const kind = flat.kinds.get(id)!;
    const params = flat.params.get(id);
    const result = flat.results.get(id);
    if (result?.status !== 'ok') throw new KerasRefusal(topLevelId(id), `${id} has no shapes`);
    const code = kind.keras.code(params, { inputShapes: result.inputShapes, outputShape: result.shape });
    if ('refused' in code) throw new KerasRefusal(topLevelId(id), `${id}: ${code.refused}`);
    const owner = id.includes('/') ? topLevelId(id) : '';
    if (owner && owner !== block) lines.push(`# ${owner}: ${flat.instances.get(owner)?.title ?? 'block'}`);
    block = owner;
    const ports = feeding.get(id);
    const sources = kind.inputs(params).map((port) => variables.get(key(ports!.get(port)!))!);
    const variable = pyIdentifier(layerName(id));
    const written = writeLayers(code.layers, layerName(id), variable, sources, hwc(result.shape));
    lines.push(...written.lines);
    variables.set(key({ node: id, port: 'out' }), written.result);
    if (kind.role === 'input') input = written.result;
    if (kind.role === 'output') output = written.result;
  }
  return { lines, output, input };
}

const key = (ref: PortRef) => `${ref.node}:${ref.port}`;

/** One node's layers, applied in turn; the last is named after the node, the ones before it _1, _2… */
function writeLayers(
  exprs: string[],
  name: string,
  variable: string,
  sources: string[],
  shape: string,
): { lines: string[]; result: string } {
  if (!exprs.length) return { lines: [], result: sources[0]! };
  const lines: string[] = [];
  let current = sources.length > 1 ? `[${sources.join(', ')}]` : (sources[0] ?? '');
  exprs.forEach((expr, i) => {
    const last = i === exprs.length - 1;
    const suffix = last ? '' : `_${i + 1}`;
    const target = `${variable}${suffix}`;
    const call = expr.startsWith('keras.Input(')
      ? named(expr, name + suffix)
      : `${named(expr, name + suffix)}(${current})`;
    lines.push(`${target} = ${call}${last ? `  # ${shape}` : ''}`);
    current = target;
  });
  return { lines, result: current };
}

class KerasRefusal extends Error {
  constructor(
    readonly nodeId: string,
    message: string,
  ) {
    super(message);
  }
}

/** The Keras script of a graph, or why it cannot be written, naming the node at fault. */
export function kerasScript(
  graph: Graph,
  name: string,
  inference: GraphInference = inferShapes(graph),
): Result<string, ExportRefusal> {
  const problem = graphProblem(inference);
  if (problem) return failure(problem);
  try {
    const { lines, output, input } = modelLines(inference);
    const body = lines.join('\n');
    const { trainable, nonTrainable } = inference.totals.params;
    const script = [
      `"""${name.replace(/"""/g, "'''")}: a Keras 3 functional model written by Blockwise.

Run \`python ${KERAS_FILE}\` to build it, print its summary and check its parameter counts; build_model()
returns it. Images are H×W×C (Keras's channels_last), as in the shape comments. The model outputs logits:
train it with keras.losses.SparseCategoricalCrossentropy(from_logits=True).
"""`,
      'import json\nimport math\nimport sys\n\nimport keras\nfrom keras import layers',
      ...(body.includes(`${NEG_INF_PADDING}(`) ? [NEG_INF_CLASS] : []),
      `BLOCKWISE_COUNTS = {"trainable": ${trainable}, "nonTrainable": ${nonTrainable}}`,
      `def build_model():\n${indent(body)}\n    return keras.Model(inputs=${input}, outputs=${output}, name="${pyIdentifier(layerName(name))}")`,
      MAIN,
    ].join('\n\n\n');
    return success(`${script}\n`);
  } catch (e) {
    if (e instanceof KerasRefusal) return failure({ nodeId: e.nodeId, message: e.message });
    throw e;
  }
}

export const KERAS_FILE = 'model_keras.py';

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
