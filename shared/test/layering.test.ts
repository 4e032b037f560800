import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The lint messages for a file of the given path holding one import (lintText lints text as that file). */
async function lintImport(filePath: string, from: string): Promise<string[]> {
  const eslint = new ESLint();
  const [result] = await eslint.lintText(`import type { X } from '${from}';\nexport type Y = X;\n`, {
    filePath,
  });
  return result!.messages.map((m) => m.message);
}

describe("shared/'s layering (the lint rule)", () => {
  it('refuses an import from a layer above, naming what the folder may import', async () => {
    const up = await lintImport('shared/layers/new-kind.ts', '../shapes/infer-shapes.ts');
    expect(up).toEqual([
      expect.stringMatching(/shared\/layers\/\*\*\/\*\.ts may import only the root files of shared\//),
    ]);
    const deep = await lintImport('shared/export/pytorch/new.ts', '../../worker/worker-protocol.ts');
    expect(deep).toEqual([
      expect.stringMatching(/may import only graph, layers, .*train and the root files/),
    ]);
    expect(await lintImport('shared/result-extra.ts', './result.ts')).toEqual([]);
    expect(await lintImport('shared/result-extra.ts', './graph/document.ts')).toEqual([
      expect.stringMatching(/shared\/\*\.ts may import only the root files/),
    ]);
  });

  it('lets a folder import the layers below it and the root pieces, and tests reach higher', async () => {
    expect(await lintImport('shared/train/new.ts', '../compile/compile-graph.ts')).toEqual([]);
    expect(await lintImport('shared/layers/new-kind.ts', '../shape.ts')).toEqual([]);
    expect(await lintImport('shared/layers/new-kind.test.ts', '../templates/catalogue.ts')).toEqual([]);
  });
});

describe("the renderer's direction (the lint rule)", () => {
  it('keeps a feature from importing another feature or the app', async () => {
    const across = await lintImport('renderer/src/palette/New.tsx', '../canvas/Canvas.tsx');
    expect(across).toEqual([
      expect.stringMatching(/renderer\/src\/palette\/ may import only host, ui, document, training/),
    ]);
    expect(await lintImport('renderer/src/variants/New.tsx', '../app/editor-actions.ts')).toHaveLength(1);
  });

  it('keeps the document off the training service and ui/ off the document', async () => {
    expect(await lintImport('renderer/src/document/new.ts', '../training/training-store.ts')).toHaveLength(1);
    expect(await lintImport('renderer/src/ui/New.tsx', '../document/document-store.ts')).toHaveLength(1);
    expect(await lintImport('renderer/src/host/new.ts', '../../../main/host/host-api.ts')).toEqual([
      expect.stringMatching(/The page talks to the host through shared\/api/),
    ]);
  });

  it('lets each folder import those below it, and the app all of them', async () => {
    expect(await lintImport('renderer/src/train/New.tsx', '../training/training-store.ts')).toEqual([]);
    expect(await lintImport('renderer/src/training/new.ts', '../document/recipe.ts')).toEqual([]);
    expect(await lintImport('renderer/src/app/New.tsx', '../compare/CompareView.tsx')).toEqual([]);
    expect(await lintImport('renderer/src/canvas/New.tsx', '../../../shared/compare/graph-diff.ts')).toEqual(
      [],
    );
  });
});
