import { describe, expect, it } from 'vitest';
import { lastShape } from '../test/graph-kit.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { chainGraph } from '../test/graph-kit.ts';
import { isInputNode, isOutputNode, layerKinds, layerKind, outputPorts } from './registry.ts';

const img = [3, 32, 32] as const;

describe('Conv2D shape rule (PyTorch: floor((in + 2p − d(k−1) − 1)/s) + 1)', () => {
  it.each([
    [{ filters: 8, kernel: 3 }, [8, 30, 30]],
    [{ filters: 8, kernel: 3, padding: 1 }, [8, 32, 32]],
    [{ filters: 8, kernel: 3, padding: 'same' }, [8, 32, 32]],
    [{ filters: 8, kernel: 4, padding: 'same' }, [8, 32, 32]],
    [{ filters: 8, kernel: 3, padding: 'valid' }, [8, 30, 30]],
    [{ filters: 8, kernel: 3, stride: 2, padding: 1 }, [8, 16, 16]],
    [{ filters: 8, kernel: 5, stride: 2 }, [8, 14, 14]],
    [{ filters: 8, kernel: [3, 5], padding: [1, 2] }, [8, 32, 32]],
    [{ filters: 8, kernel: 3, dilation: 2 }, [8, 28, 28]],
    [{ filters: 8, kernel: 3, dilation: 2, padding: 'same' }, [8, 32, 32]],
    [{ filters: 8, kernel: 11, stride: 4, padding: 1 }, [8, 6, 6]],
    [{ filters: 8, kernel: [1, 7], stride: [1, 2], padding: [0, 3] }, [8, 32, 16]],
  ])('%j → %j', (params, expected) => {
    expect(lastShape(img, [['Conv2D', params]])).toEqual(expected);
  });

  it('refuses a kernel larger than the padded input', () => {
    expect(lastShape([1, 4, 4], [['Conv2D', { kernel: 5 }]])).toBe('kernelTooLarge');
    expect(lastShape([1, 4, 4], [['Conv2D', { kernel: 5, padding: 1 }]])).toEqual([32, 2, 2]);
    expect(lastShape([1, 4, 4], [['Conv2D', { kernel: 3, dilation: 2 }]])).toBe('kernelTooLarge');
  });

  it('refuses "same" with a stride, as PyTorch does, and stride with dilation, which tfjs cannot run', () => {
    expect(lastShape(img, [['Conv2D', { padding: 'same', stride: 2 }]])).toBe('badParams');
    expect(lastShape(img, [['Conv2D', { stride: 2, dilation: 2 }]])).toBe('badParams');
  });

  it('rejects out-of-range parameters', () => {
    for (const params of [
      { filters: 0 },
      { kernel: 0 },
      { stride: -1 },
      { padding: -1 },
      { filters: 2.5 },
      { padding: 'full' },
      { activation: 'swish' },
    ]) {
      expect(lastShape(img, [['Conv2D', params]])).toBe('badParams');
    }
  });

  it('needs an image, not a vector', () => {
    expect(lastShape(img, [['Flatten'], ['Conv2D']])).toBe('rankMismatch');
  });
});

describe('pooling', () => {
  it.each([
    ['MaxPool2D', { kernel: 2 }, [3, 16, 16]],
    ['MaxPool2D', { kernel: 3, stride: 2 }, [3, 15, 15]],
    ['MaxPool2D', { kernel: 3, stride: 2, padding: 1 }, [3, 16, 16]],
    ['MaxPool2D', { kernel: 3, stride: 1, padding: 1 }, [3, 32, 32]],
    ['AvgPool2D', { kernel: 2, stride: 2 }, [3, 16, 16]],
    ['AvgPool2D', { kernel: 3, stride: 2, padding: 1, countIncludePad: false }, [3, 16, 16]],
  ])('%s %j → %j', (type, params, expected) => {
    expect(lastShape(img, [[type, params]])).toEqual(expected);
  });

  it('ceil mode adds the partial window, but never one that starts in the right padding (PyTorch)', () => {
    expect(lastShape([1, 5, 5], [['MaxPool2D', { kernel: 2, ceilMode: true }]])).toEqual([1, 3, 3]);
    expect(lastShape([1, 5, 5], [['MaxPool2D', { kernel: 2 }]])).toEqual([1, 2, 2]);
    expect(
      lastShape([1, 6, 6], [['MaxPool2D', { kernel: 2, stride: 2, padding: 1, ceilMode: true }]]),
    ).toEqual([1, 4, 4]);
    // ceil((5 + 2 − 2)/2) + 1 = 4 windows, but the 4th would start at 6 ≥ 5 + 1, in the right padding: dropped.
    expect(
      lastShape([1, 5, 5], [['MaxPool2D', { kernel: 2, stride: 2, padding: 1, ceilMode: true }]]),
    ).toEqual([1, 3, 3]);
    expect(lastShape([1, 7, 7], [['AvgPool2D', { kernel: 3, stride: 2, ceilMode: true }]])).toEqual([
      1, 3, 3,
    ]);
    expect(lastShape([1, 8, 8], [['AvgPool2D', { kernel: 3, stride: 2, ceilMode: true }]])).toEqual([
      1, 4, 4,
    ]);
  });

  it('refuses padding above half the kernel and kernels larger than the input', () => {
    expect(lastShape(img, [['MaxPool2D', { kernel: 2, padding: 2 }]])).toBe('badParams');
    expect(lastShape([1, 2, 2], [['MaxPool2D', { kernel: 3 }]])).toBe('kernelTooLarge');
  });

  it('global average pooling makes a vector of channels', () => {
    expect(lastShape(img, [['GlobalAvgPool']])).toEqual([3]);
    expect(lastShape(img, [['GlobalAvgPool'], ['GlobalAvgPool']])).toBe('rankMismatch');
  });
});

describe('other layers', () => {
  it('Flatten and Dense', () => {
    expect(lastShape(img, [['Flatten']])).toEqual([3072]);
    expect(lastShape(img, [['Flatten'], ['Flatten']])).toEqual([3072]);
    expect(lastShape(img, [['Flatten'], ['Dense', { units: 7 }]])).toEqual([7]);
    expect(lastShape(img, [['Dense', { units: 7 }]])).toBe('rankMismatch');
    expect(lastShape(img, [['Flatten'], ['Dense', { units: 0 }]])).toBe('badParams');
  });

  it('Dropout, BatchNorm and Activation keep the shape', () => {
    expect(lastShape(img, [['Dropout', { rate: 0.3 }]])).toEqual([...img]);
    expect(lastShape(img, [['Dropout', { rate: 1 }]])).toBe('badParams');
    expect(lastShape(img, [['BatchNorm']])).toEqual([...img]);
    expect(lastShape(img, [['Flatten'], ['BatchNorm']])).toEqual([3072]);
    for (const fn of ['relu', 'sigmoid', 'tanh', 'leakyRelu', 'gelu', 'softmax']) {
      expect(lastShape(img, [['Activation', { fn }]])).toEqual([...img]);
    }
    expect(lastShape(img, [['Activation', { fn: 'none' }]])).toBe('badParams');
  });

  it('ZeroPadding2D takes one size, a pair, or four sides', () => {
    expect(lastShape(img, [['ZeroPadding2D', { padding: 2 }]])).toEqual([3, 36, 36]);
    expect(lastShape(img, [['ZeroPadding2D', { padding: [1, 0] }]])).toEqual([3, 34, 32]);
    expect(lastShape(img, [['ZeroPadding2D', { padding: [1, 0, 2, 3] }]])).toEqual([3, 33, 37]);
  });

  it('Output takes class scores, or an image as it is', () => {
    expect(lastShape(img, [['Flatten'], ['Output']])).toEqual([3072]);
    expect(lastShape(img, [['Output']])).toEqual([3, 32, 32]);
  });
});

describe('parameter counts (trainable = PyTorch parameters(); BN statistics non-trainable)', () => {
  const totals = (layers: Parameters<typeof chainGraph>[1], input: readonly [number, number, number] = img) =>
    inferShapes(chainGraph(input, layers)).totals;

  it('counts Conv2D, Dense and BatchNorm like PyTorch', () => {
    expect(totals([['Conv2D', { filters: 16, kernel: 3 }]]).params).toEqual({
      trainable: 3 * 9 * 16 + 16,
      nonTrainable: 0,
    });
    expect(totals([['Conv2D', { filters: 16, kernel: [3, 5], bias: false }]]).params.trainable).toBe(
      3 * 15 * 16,
    );
    expect(totals([['Flatten'], ['Dense', { units: 10 }]]).params.trainable).toBe(3072 * 10 + 10);
    expect(totals([['BatchNorm']]).params).toEqual({ trainable: 6, nonTrainable: 6 });
  });

  it('counts a multiply-add as two FLOPs', () => {
    // 16 filters × 30×30 positions × 27 MACs, plus one bias add per output.
    expect(totals([['Conv2D', { filters: 16, kernel: 3 }]]).flops).toBe(2 * 27 * 16 * 900 + 16 * 900);
    expect(totals([['Flatten'], ['Dense', { units: 10, bias: false }]]).flops).toBe(2 * 3072 * 10);
  });

  it('counts activation memory in float32 bytes per sample; Flatten is a view', () => {
    expect(totals([['Conv2D', { filters: 16, kernel: 3 }]]).memoryBytes).toBe(
      4 * (3 * 32 * 32 + 16 * 30 * 30),
    );
    expect(totals([['Flatten']]).memoryBytes).toBe(4 * 3 * 32 * 32);
  });
});

describe('the registry', () => {
  it('has every layer kind once, each with defaults that parse', () => {
    const types = layerKinds.map((k) => k.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(
      expect.arrayContaining([
        'Input',
        'Conv2D',
        'MaxPool2D',
        'AvgPool2D',
        'GlobalAvgPool',
        'Flatten',
        'Dense',
        'Dropout',
        'BatchNorm',
        'Activation',
        'Concat',
        'Add',
        'ZeroPadding2D',
        'Output',
      ]),
    );
    for (const k of layerKinds) expect(k.params.safeParse({}).success, k.type).toBe(true);
    expect(layerKind('Nope')).toBeUndefined();
  });

  it('knows the network’s entry and exit by the role their files declare, not by their names', () => {
    expect(layerKinds.filter((k) => k.role === 'input').map((k) => k.type)).toEqual(['Input']);
    expect(layerKinds.filter((k) => k.role === 'output').map((k) => k.type)).toEqual(['Output']);
    expect([isInputNode({ type: 'Input' }), isOutputNode({ type: 'Output' })]).toEqual([true, true]);
    expect([isInputNode({ type: 'Conv2D' }), isOutputNode({ type: 'block:vgg' })]).toEqual([false, false]);
    // The exit has no output port; every other layer has one.
    expect(layerKinds.filter((k) => outputPorts(k).length === 0).map((k) => k.type)).toEqual(['Output']);
  });
});
