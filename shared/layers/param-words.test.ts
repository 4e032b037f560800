import { describe, expect, it } from 'vitest';
import { builtinBlocks } from '../blocks/catalogue.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { layerKinds } from './registry.ts';
import { paramProblem } from './param-words.ts';

/** Values a person might type into any parameter field: out of every bound, of every wrong kind. */
const TYPED = [-1, 0, 0.5, 1.5, 1e20, -1e20, 'abc', null, [1], [1, 2, 3], [0, -1], [1e20, 1], true, Infinity];

/** What zod says in its own words, or a bound nobody set (zod's largest whole number). */
const RAW = /expected|received|invalid|too (big|small):|[<>]=|9007199254740991|9,007,199,254,740,991/i;

const kinds = [
  ...layerKinds.map((k) => ({ name: k.type, schema: k.params })),
  ...builtinBlocks.map((b) => ({ name: b.ref, schema: b.params })),
];

describe('parameter refusals in words', () => {
  it.each(kinds)('$name: every refusal of every parameter is said in words', ({ schema }) => {
    const defaults = schema.parse({}) as Record<string, unknown>;
    for (const name of Object.keys(defaults))
      for (const value of TYPED) {
        const problem = paramProblem(schema, { ...defaults, [name]: value }, name);
        if (!problem) continue;
        expect(problem.param, `${name} = ${JSON.stringify(value)}`).toBe(name);
        expect(problem.words, `${name} = ${JSON.stringify(value)}`).not.toMatch(RAW);
        expect(problem.words.length).toBeGreaterThan(4);
      }
  });

  it('names the bound the value passed, and the field’s own maximum past 2^53', () => {
    const conv = layerKinds.find((k) => k.type === 'Conv2D')!.params;
    expect(paramProblem(conv, { filters: 0 }, 'filters')).toEqual({ param: 'filters', words: 'at least 1' });
    expect(paramProblem(conv, { filters: 1e20 }, 'filters')?.words).toBe('at most 65,536');
    expect(paramProblem(conv, { filters: 2.5 }, 'filters')?.words).toBe('a whole number, from 1 to 65,536');
    expect(paramProblem(conv, { activation: 'swish' }, 'activation')?.words).toBe(
      'one of none, relu, sigmoid, tanh, leakyRelu, gelu, softmax',
    );
    expect(paramProblem(conv, { kernel: 'big' }, 'kernel')?.words).toBe(
      'a whole number, at least 1, or a pair such as “3, 5” (a whole number, at least 1 each)',
    );
    const dropout = layerKinds.find((k) => k.type === 'Dropout')!.params;
    expect(paramProblem(dropout, { rate: 1 }, 'rate')?.words).toBe('less than 1');
  });

  it('says a bad parameter from a file in the same words at its node', () => {
    const graph = {
      nodes: [
        { id: 'in', type: 'Input', params: {}, position: { x: 0, y: 0 } },
        { id: 'fc', type: 'Dense', params: { units: 1e20 }, position: { x: 0, y: 100 } },
        { id: 'vgg', type: 'block:vgg', params: { channels: 0 }, position: { x: 0, y: 200 } },
      ],
      edges: [],
      blocks: [],
    };
    const messages = inferShapes(graph).diagnostics.map((d) => d.message);
    expect(messages).toContain('Dense parameter units: at most 1,048,576. Correct it in the inspector.');
    expect(messages).toContain('channels: at least 1. Correct it in the inspector.');
  });
});
