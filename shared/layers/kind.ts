import type { z } from 'zod';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { Shape } from '../shape.ts';
import type { WeightInit } from './weight-init.ts';
import type { KerasCode } from './keras-syntax.ts';
import type { Pads, Window } from './spatial.ts';

/** How a layer looks at its input: a window sliding over H×W, or all of it at once. */
export type Sight = { window: Window; pads: Pads } | 'whole';

export type LayerCategory =
  'io' | 'convolution' | 'pooling' | 'dense' | 'normalization' | 'activation' | 'merge' | 'shape';

/** What a shape rule says about one node: its output shape, or the problem and how to fix it. */
export type ShapeRuleResult = { ok: true; shape: Shape } | { ok: false; problem: ShapeProblem };

export interface ShapeProblem {
  code: DiagnosticCode;
  /** The input port at fault, when one is. */
  port?: string;
  message: string;
}

export type DiagnosticCode =
  | 'cycle'
  | 'missingInput'
  | 'extraInput'
  | 'unknownPort'
  | 'unusedOutput'
  | 'shapeMismatch'
  | 'rankMismatch'
  | 'kernelTooLarge'
  | 'badParams'
  | 'unknownType'
  | 'inputCount'
  | 'outputCount'
  | 'blockRecursion'
  | 'badBlock'
  | 'tooLarge'
  | 'tooDeep'
  | 'receptiveField';

export interface ParamCount {
  trainable: number;
  nonTrainable: number;
}

/** Everything a layer needs to build itself into a tfjs functional graph. */
export interface BuildContext {
  /** A unique, tfjs-safe layer name derived from the node id. */
  name: string;
  /** The node's input shapes as inferred (channels first), in port order. */
  inputShapes: Shape[];
  outputShape: Shape;
}

/** What a layer's PyTorch emitter knows: the node's inferred shapes, channels first, without the batch. */
export interface EmitContext {
  inputShapes: Shape[];
  outputShape: Shape;
}

/**
 * How a layer reads in PyTorch: the module that holds its weights (a constructor expression such as
 * "nn.Conv2d(1, 6, kernel_size=(5, 5), padding=(2, 2))", none for a stateless step), and its forward
 * expression from its inputs' expressions and the module's reference ("self.conv2d1"). Or why it cannot
 * be written in PyTorch with the same meaning: export refuses it then, naming the node.
 */
export type TorchCode =
  { module?: string; forward(inputs: readonly string[], self: string): string } | { refused: string };

/** A weight array: its shape and its values in row-major order. */
export interface WeightArray {
  shape: number[];
  values: Float32Array;
}

/**
 * How a vector's features are ordered in PyTorch against tfjs: entry i is the tfjs index of PyTorch's
 * feature i (tfjs flattens H, W, C; PyTorch C, H, W). null: the same order in both.
 */
export type FeatureOrder = Int32Array | null;

/** How a node kind's saved parameters keep their meaning: layer kinds and built-in blocks declare it. */
export interface ParamsVersioning {
  /**
   * Its parameters' version: 1 when absent. Raised when a parameter is renamed or split or changes meaning,
   * with the step from the version before in `migrate`, so every saved document still opens as it meant.
   */
  version?: number;
  /** Params written at version `from`, as version `from + 1` reads them (a fixture per step in the tests). */
  migrate?(params: Record<string, unknown>, from: number): Record<string, unknown>;
}

/**
 * One layer kind: the single place that declares its parameters, ports, shape rule, counts and compilers.
 * P is the parsed (defaults applied, bounds checked) parameter type. Its core (this interface's own fields)
 * is what the designer reads; each target is a facet of its own (`tfjs`, `torch`, `keras`), so each writer
 * reads only its facet and a new target adds a facet instead of widening every layer.
 */
export interface LayerKind<P = unknown> extends ParamsVersioning {
  type: string;
  title: string;
  category: LayerCategory;
  description: string;
  params: z.ZodType<P>;
  /**
   * Where the network starts or ends: an `input` feeds it the data batch, an `output` ends it (its scores
   * are what training and export read) and has no output port. Every other layer is neither.
   */
  role?: 'input' | 'output';
  /** Input port names for these parameters (Concat and Add have a configurable count). */
  inputs(params: P): readonly string[];
  infer(inputs: Shape[], params: P): ShapeRuleResult;
  count?(inputs: Shape[], params: P): ParamCount;
  /** Floating-point operations for one sample; a multiply-add counts as 2. */
  flops(inputs: Shape[], output: Shape, params: P): number;
  /**
   * How it looks at its input, for receptive fields: a window sliding over H×W with its padding, or the
   * whole input at once (Dense, Flatten, global pooling). None: each output pixel sees the same pixel of
   * each input (activations, normalization, merges).
   */
  sight?(params: P, inputs: Shape[]): Sight;
  /** Bytes of activations this layer keeps for one sample; by default its output in float32. */
  memory?(output: Shape): number;
  /** The layer in tfjs: what the compiler and training read. */
  tfjs: TfjsFacet<P>;
  /** The layer in PyTorch, with Blockwise's semantics exactly (exported code, the torch engine). */
  torch: TorchFacet<P>;
  /** The layer in Keras 3 (the exported Keras script), with Blockwise's semantics exactly. */
  keras: KerasFacet<P>;
}

export interface TfjsFacet<P> {
  build(inputs: SymbolicTensor[], params: P, ctx: BuildContext): SymbolicTensor;
  /**
   * How its weights start, per tfjs weight role (kernel, bias): the bound of the uniform draw. Roles it does
   * not name keep tfjs's start (BatchNorm's 1 and 0). Drawn from the run's seed, the same on every backend.
   */
  initialBounds?(shapes: ReadonlyMap<string, readonly number[]>, scheme: WeightInit): Record<string, number>;
}

export interface TorchFacet<P> {
  code(params: P, ctx: EmitContext): TorchCode;
  /**
   * Its trained weights for its PyTorch module: from tfjs's by role (kernel, bias, gamma, beta, moving_mean,
   * moving_variance) to the module's state_dict names, laid out as PyTorch wants them. `inputOrder` says
   * how a vector input's features are ordered in PyTorch.
   */
  weights?(
    weights: ReadonlyMap<string, WeightArray>,
    ctx: EmitContext & { inputOrder: FeatureOrder },
  ): Record<string, WeightArray>;
  /**
   * Its output's feature order in PyTorch against tfjs, from its inputs'; by default the same in both
   * (a layer that mixes features, or makes an image). A string: why the orders cannot be reconciled.
   */
  featureOrder?(inputs: readonly FeatureOrder[], ctx: EmitContext): FeatureOrder | string;
}

export interface KerasFacet<P> {
  code(params: P, ctx: EmitContext): KerasCode;
}

export type { KerasCode };

export const SINGLE_INPUT = ['in'] as const;

/** Declares a layer kind with its parameter type inferred from its schema. */
/** A layer kind, its type name and parameter schema kept exact (the registry derives typed builders from them). */
export function defineLayer<const T extends string, S extends z.ZodType>(
  kind: LayerKind<z.output<S>> & { type: T; params: S },
): LayerKind<z.output<S>> & { type: T; params: S } {
  return kind;
}

export function ok(shape: Shape): ShapeRuleResult {
  return { ok: true, shape };
}

export function problem(code: DiagnosticCode, message: string, port?: string): ShapeRuleResult {
  return { ok: false, problem: port === undefined ? { code, message } : { code, message, port } };
}

/** The rank check most layers start with, phrased so the user knows what to insert. */
export function expectImage(input: Shape, title: string): ShapeProblem | null {
  if (input.length === 3) return null;
  return {
    code: 'rankMismatch',
    port: 'in',
    message: `${title} needs an image tensor (C×H×W) but gets a vector of ${input.join('×')}. Move it before the Flatten or Dense layers.`,
  };
}

export function expectVector(input: Shape, title: string): ShapeProblem | null {
  if (input.length === 1) return null;
  return {
    code: 'rankMismatch',
    port: 'in',
    message: `${title} expects a flat vector but gets ${input.join('×')}. Insert a Flatten (or GlobalAvgPool) before it.`,
  };
}

export function fail(p: ShapeProblem): ShapeRuleResult {
  return { ok: false, problem: p };
}
