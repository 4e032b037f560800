import { dispose, tensor, transpose, type Tensor } from '@tensorflow/tfjs-core';
import type { CompiledGraph } from '../../compile/compile-graph.ts';
import type { Graph } from '../../graph/document.ts';
import { graphHash } from '../../graph/graph-hash.ts';
import { SeededRandom } from '../../random.ts';
import { failure, success, type Result } from '../../result.ts';
import { inferShapes } from '../../shapes/infer-shapes.ts';
import type { TrainConfig } from '../../train/train-config.ts';
import { pytorchModel, type ExportRefusal } from './model-code.ts';
import {
  LOAD_WEIGHTS,
  NAME_MAP,
  VERIFY_INPUTS,
  VERIFY_LOGITS,
  verifyScript,
  WEIGHTS_BIN,
  WEIGHTS_MANIFEST,
} from './python-files.ts';
import { littleEndianFloats, pytorchStateDict, stateDictFiles } from './state-dict.ts';
import { projectReadme, trainFiles } from './train-script.ts';

/** An exported project: file name → text or bytes. */
export type ProjectFiles = Record<string, string | Uint8Array>;

export interface PytorchProjectInput {
  graph: Graph;
  name: string;
  /** The recipe train.py follows. */
  recipe: TrainConfig;
  /** A run's model with its trained weights: they are exported, with verify.py to prove them. */
  trained?: CompiledGraph;
}

/** How many saved inputs verify.py compares on. */
const VERIFY_COUNT = 4;

/**
 * A PyTorch project for a graph: model.py, train.py (one process or torchrun), a README, and with a
 * trained model its weights and verify.py. A layer or a feature order PyTorch cannot follow is refused,
 * naming the node, never exported wrong.
 */
export function pytorchProject(input: PytorchProjectInput): Result<ProjectFiles, ExportRefusal> {
  const inference = input.trained?.inference ?? inferShapes(input.graph);
  const model = pytorchModel(input.graph, inference);
  if (!model.ok) return model;
  const shapes = ioShapes(inference);
  const files: ProjectFiles = {
    'model.py': `${model.value.code}\n\n${LOAD_WEIGHTS}`,
    ...trainFiles({
      ...shapes,
      name: input.name,
      graphHash: graphHash(input.graph),
      recipe: input.recipe,
    }),
    'README.md': projectReadme(input.name, Boolean(input.trained)),
    [NAME_MAP]: nameMap(model.value.modulePaths),
  };
  if (!input.trained) return success(files);
  const state = pytorchStateDict(input.trained, model.value.modulePaths);
  if (!state.ok) return failure(state.error);
  const weights = stateDictFiles(state.value);
  const check = verificationData(input.trained, shapes.input);
  return success({
    ...files,
    [WEIGHTS_MANIFEST]: weights.manifest,
    [WEIGHTS_BIN]: weights.bin,
    [VERIFY_INPUTS]: check.inputs,
    [VERIFY_LOGITS]: check.outputs,
    'verify.py': verifyScript(shapes.input, shapes.output, VERIFY_COUNT),
  });
}

/**
 * names.json: where each layer's weights go in the state_dict (model.py's module path) by the design's node
 * ("residual1/conv2d1": a layer inside a block), in the graph's order: how a reference state_dict maps on.
 */
function nameMap(modulePaths: ReadonlyMap<string, string>): string {
  const entries = [...modulePaths].map(([node, module]) => ({ module, node }));
  return JSON.stringify(entries, null, 1) + '\n';
}

/** The Input's and the Output's shapes, channels first. */
function ioShapes(inference: ReturnType<typeof inferShapes>): { input: number[]; output: number[] } {
  const shapeOf = (type: string) => {
    const node = inference.flat.order.find((n) => n.type === type)!;
    const r = inference.flat.results.get(node.id);
    return r?.status === 'ok' ? [...r.shape] : [];
  };
  return { input: shapeOf('Input'), output: shapeOf('Output') };
}

/**
 * Seeded inputs in [0, 1) and what the trained tfjs model outputs for them (its logits, before the softmax),
 * both laid out channels first as PyTorch reads them, float32 little-endian.
 */
function verificationData(
  trained: CompiledGraph,
  inputShape: number[],
): { inputs: Uint8Array; outputs: Uint8Array } {
  const [c, h, w] = inputShape as [number, number, number];
  const random = new SeededRandom(2024);
  const nchw = Float32Array.from({ length: VERIFY_COUNT * c * h * w }, () => random.next());
  const x = transpose(tensor(nchw, [VERIFY_COUNT, c, h, w]), [0, 2, 3, 1]);
  const y = trained.logitsModel.predict(x) as Tensor;
  const channelsFirst = y.rank === 4 ? transpose(y, [0, 3, 1, 2]) : y;
  const outputs = channelsFirst.dataSync() as Float32Array;
  dispose([x, y, channelsFirst]);
  return { inputs: littleEndianFloats(nchw), outputs: littleEndianFloats(outputs) };
}
