import { describe, expect, it } from 'vitest';
import { graphFile, parseGraphFile, type NodeKindVersions } from '../graph/file-format.ts';
import { layerKinds } from '../layers/registry.ts';
import { findTemplate } from '../templates/catalogue.ts';
import { builtinBlocks } from './catalogue.ts';
import { appKindVersions, parseDesignFile, serializeDesignFile } from './design-file.ts';

/**
 * A Conv2D whose parameters changed twice: version 2 renamed `filters` to `channels`, version 3 made
 * `padding` a pair. Not the app's Conv2D: a stand-in to prove the reader runs each step, everywhere.
 */
const renamedConv: NodeKindVersions = {
  version: (type) => (type === 'Conv2D' ? 3 : appKindVersions.version(type)),
  migrate: (type, params, from) => {
    if (type !== 'Conv2D') return appKindVersions.migrate(type, params, from);
    if (from === 1) {
      const { filters, ...rest } = params;
      return { ...rest, channels: filters };
    }
    if (from === 2) return { ...params, padding: [params['padding'], params['padding']] };
    throw new Error(`no step from ${from}`);
  },
};

const conv = (id: string) => ({
  id,
  type: 'Conv2D',
  position: { x: 0, y: 0 },
  params: { filters: 6, kernel: 5, padding: 2 },
});

/** A version-1 Conv2D in the design, in a variant, and inside a user block: a file written before both changes. */
const fixture = JSON.stringify({
  format: 'blockwise/graph',
  formatVersion: 2,
  app: { name: 'Blockwise', version: '0.1.0' },
  graph: {
    nodes: [conv('conv2d1')],
    edges: [],
    blocks: [
      {
        id: 'mine',
        name: 'Mine',
        params: [],
        nodes: [conv('inner')],
        edges: [],
        inputs: [{ name: 'in', targets: [{ node: 'inner', port: 'in' }] }],
        outputs: [{ name: 'out', source: { node: 'inner', port: 'out' } }],
      },
    ],
  },
  variants: [{ name: 'other', graph: { nodes: [conv('conv2d9')], edges: [], blocks: [] } }],
  meta: { name: 'Old', variant: { name: 'main', index: 0 } },
});

describe('node kinds’ parameter versions in the design file', () => {
  it('names the version of every kind a document uses, and reads back current params without them', () => {
    const resnet = findTemplate('resnet-mini')!.build();
    const text = serializeDesignFile(graphFile(resnet, 'ResNet-mini'));
    const written = JSON.parse(text) as { kinds: Record<string, number> };
    expect(written.kinds).toMatchObject({ Input: 1, Conv2D: 1, 'block:residual': 1, Output: 1 });
    expect(Object.keys(written.kinds)).toHaveLength(new Set(resnet.nodes.map((n) => n.type)).size);
    const read = parseDesignFile(text);
    expect(read.ok && read.value.kinds).toBeUndefined();
    expect(read.ok && read.value.graph).toEqual(resnet);
  });

  it('runs each step of a kind’s migration on its nodes in the design, in variants and inside blocks', () => {
    const read = parseGraphFile(fixture, { kinds: renamedConv });
    if (!read.ok) throw new Error(read.error.message);
    const migrated = { channels: 6, kernel: 5, padding: [2, 2] };
    expect(read.value.graph.nodes[0]!.params).toEqual(migrated);
    expect(read.value.graph.blocks[0]!.nodes[0]!.params).toEqual(migrated);
    expect(read.value.variants![0]!.graph.nodes[0]!.params).toEqual(migrated);
    // A file that says its Conv2D is already version 2 gets only the second step.
    const atTwo = JSON.stringify({ ...JSON.parse(fixture), kinds: { Conv2D: 2 } });
    const second = parseGraphFile(atTwo, { kinds: renamedConv });
    expect(second.ok && second.value.graph.nodes[0]!.params).toEqual({
      filters: 6,
      kernel: 5,
      padding: [2, 2],
    });
  });

  it('refuses a file whose kind is newer than this Blockwise, saying which and what to do', () => {
    const newer = JSON.stringify({ ...JSON.parse(fixture), kinds: { Conv2D: 7 } });
    expect(parseDesignFile(newer)).toMatchObject({
      ok: false,
      error: {
        kind: 'versionTooNew',
        message:
          'This file was saved by a newer Blockwise (its Conv2D parameters are version 7; this one reads up to 1). Update Blockwise to open it.',
      },
    });
  });

  it('says which node a failing step stopped at, and what a malformed kinds list is', () => {
    const failing: NodeKindVersions = {
      version: () => 2,
      migrate: () => {
        throw new Error('kernel is gone');
      },
    };
    expect(parseGraphFile(fixture, { kinds: failing })).toMatchObject({
      ok: false,
      error: {
        kind: 'migrationFailed',
        message: expect.stringMatching(/node "conv2d1" from version 1: kernel is gone/),
      },
    });
    const malformed = JSON.stringify({ ...JSON.parse(fixture), kinds: { Conv2D: 'new' } });
    expect(parseDesignFile(malformed)).toMatchObject({
      ok: false,
      error: { kind: 'invalid', path: 'kinds' },
    });
  });

  it('every kind past version 1 declares its steps', () => {
    const kinds = [...layerKinds, ...builtinBlocks];
    expect(kinds.filter((k) => (k.version ?? 1) > 1 && !k.migrate).map((k) => k.title)).toEqual([]);
  });
});
