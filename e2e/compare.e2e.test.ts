import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGraphFile, variantsOf } from '../shared/graph/file-format.ts';
import { formatCount } from '../shared/shapes/quantity-format.ts';
import { inferShapes } from '../shared/shapes/infer-shapes.ts';
import { jsonLines, pythonScript, runPython } from '../main/export/python-runner.ts';
import { discardingUnsaved, startDesigner, type DesignerSession } from './designer-session.ts';

/** Variants, sweeps and the compare view, as a user drives them in Chromium through the browser-mode host. */
describe('comparing variants in the app (browser mode)', () => {
  let session: DesignerSession;
  beforeAll(async () => void (session = await startDesigner()), 180_000);
  afterAll(() => session?.close());
  const page = () => session.page;
  /** The open document's name, with its unsaved mark ("LeNet •") when it has one. */
  const docName = () => page().getByTestId('document-name').textContent();
  /** The text of one column of the compare table, row by row. */
  const column = (name: string) =>
    page().locator(`.compare-table td[data-column="${name}"]`).allTextContents();
  /** A scenario's own start: a template opened (unsaved work discarded), speeds measured on wasm. */
  const openTemplate = async (id: string, title: string) => {
    await page().getByTestId(`template-${id}`).click();
    await discardingUnsaved(page(), async () => (await docName()) === title);
    if (!(await page().getByTestId('train-backend').isVisible())) await page().getByTestId('train').click();
    await page().getByTestId('train-backend').selectOption('wasm');
  };

  it('makes two variants of VGG-mini, compares them untrained, trains both, charts them and marks the diff', async () => {
    const p = page();
    await p.getByTestId('template-vgg-mini').click();
    await p.getByTestId('duplicate-variant').click();
    await expect.poll(() => p.getByTestId('variant-1').textContent()).toBe('VGG-mini 2');
    await p.getByTestId('node-vgg3').click();
    await p.getByTestId('param-numConvs').fill('1');
    await p.getByTestId('param-numConvs').press('Enter');
    await expect.poll(() => p.getByTestId('total-params').textContent()).toMatch(/^173,578 params/);

    // Without training: one row per variant, the summary's figures.
    await p.getByTestId('compare').click();
    await expect.poll(() => p.locator('.compare-table tbody tr').count()).toBe(2);
    expect(await column('trainable')).toEqual(['210,506', '173,578']);
    expect(await column('run')).toEqual(['not trained', 'not trained']);
    // The diff names the changed block and its parameter.
    expect(await p.getByTestId('variant-diff').textContent()).toContain('changed vgg3: numConvs 2 → 1');
    await p.getByTestId('differences-only').check();
    const headers = await p.locator('.compare-table th').allTextContents();
    expect(headers).toContain('trainable');
    expect(headers).not.toContain('buffers');
    await p.getByTestId('differences-only').uncheck();

    // Both trained, one after another, with the Train panel's recipe (a few batches).
    await p.getByText('Close').click();
    await p.getByTestId('train').click();
    await p.getByTestId('train-epochs').fill('1');
    await p.getByTestId('train-max-batches').fill('3');
    await p.getByTestId('train-backend').selectOption('wasm');
    await p.getByTestId('compare').click();
    await p.getByTestId('train-each').click();
    await expect.poll(() => p.locator('tr.run-row').count(), { timeout: 240_000 }).toBe(2);
    expect(await column('epochs')).toEqual(['1', '1']);
    expect((await column('testAccuracy')).every((a) => /^\d+\.\d\d%$/.test(a))).toBe(true);
    expect((await column('inferenceSamplesPerSec')).every((s) => Number(s.replace(/,/g, '')) > 0)).toBe(true);
    await expect.poll(() => p.locator('.chart-svg g.point').count()).toBe(2);
    // The diff puts the two variants' last runs side by side.
    expect(await p.getByTestId('diff-runs').textContent()).toMatch(
      /^Last runs: test accuracy \d+\.\d\d% → \d+\.\d\d% \([+−]\d+\.\d\d points\); inference samples\/s [\d,]+ → [\d,]+ \([+−][\d,]+\)$/,
    );
    expect(await p.getByTestId('compare-chart').getAttribute('data-front')).not.toBe('');
    // Both runs' curves on one chart.
    for (const box of await p.locator('tr.run-row input[type=checkbox]').all()) await box.check();
    await expect.poll(() => p.getByTestId('run-curves').textContent()).toMatch(/VGG-mini .*VGG-mini 2/);
    await session.shot('compare-trained');

    // The canvas marks what changed in the shown variant against the other.
    await p.getByTestId('diff-on-canvas').check();
    await p.keyboard.press('Escape');
    await expect.poll(() => p.getByTestId('diff-vgg3').textContent()).toBe('changed');
    expect(await p.getByTestId('diff-vgg1').count()).toBe(0);
    await p.getByTestId('train').click();
    await session.shot('compare-diff-on-canvas');
  });

  it('sweeps a parameter into variants that compare at once and are saved with the document', async () => {
    const p = page();
    await openTemplate('vgg-mini', 'VGG-mini');
    await p.getByTestId('sweep').click();
    await p.getByTestId('sweep-node-0').selectOption('dense1');
    await p.getByTestId('sweep-param-0').selectOption('units');
    await p.getByTestId('sweep-values-0').fill('64..192:64');
    await expect
      .poll(() => p.getByTestId('sweep-preview').textContent())
      .toBe('dense1.units=64 · dense1.units=128 · dense1.units=192');
    await p.getByTestId('sweep-values-0').fill('9..1');
    await expect.poll(() => p.getByTestId('sweep-problem').textContent()).toMatch(/a range goes up/);
    expect(await p.getByTestId('confirm-sweep').isDisabled()).toBe(true);
    await p.getByTestId('sweep-values-0').fill('64,128');
    await p.getByTestId('confirm-sweep').click();
    // The compare view opens on the new, untrained variants beside the others and the runs.
    const swept = p.locator('tr.variant-row', { hasText: 'dense1.units=' });
    await expect.poll(() => swept.count()).toBe(2);
    const names = await swept.locator('.name-cell button').allTextContents();
    expect(names).toEqual(['VGG-mini: dense1.units=64', 'VGG-mini: dense1.units=128']);
    const sweptTrainable = await swept.locator('td[data-column="trainable"]').allTextContents();
    // Measured without training as the variants appear, on the Train panel's backend (wasm, set first).
    const measured = () => swept.locator('td[data-column="inferenceSamplesPerSec"]').allTextContents();
    const speed = expect.stringMatching(/^[1-9][\d,]*$/);
    await expect.poll(measured, { timeout: 60_000 }).toEqual([speed, speed]);
    expect(await swept.locator('td[data-column="backend"]').allTextContents()).toEqual([
      'wasm (measured)',
      'wasm (measured)',
    ]);
    await session.shot('compare-sweep');
    await p.keyboard.press('Escape');

    await p.keyboard.press('Control+s');
    await p.getByTestId('save-as-name').fill('VGG sweep');
    await p.getByTestId('confirm-save-as').click();
    await expect.poll(() => p.getByTestId('document-name').textContent()).toBe('VGG sweep');
    const file = parseGraphFile(readFileSync(join(session.documents, 'VGG sweep.blockwise.json'), 'utf8'));
    if (!file.ok) throw new Error(file.error.message);
    const { variants } = variantsOf(file.value);
    expect(variants.map((v) => v.name)).toEqual([
      'VGG-mini',
      'VGG-mini: dense1.units=64',
      'VGG-mini: dense1.units=128',
    ]);
    // Each variant's figures in the table were its own: the file's graphs give the same counts.
    const counts = variants.map((v) => formatCount(inferShapes(v.graph).totals.params.trainable));
    expect(counts).toEqual(['210,506', ...sweptTrainable]);
    expect(sweptTrainable[0]).not.toBe(sweptTrainable[1]);

    // The number of blocks: vgg2 taken out, or standing twice in series, laid out with no node on another.
    const nodesBefore = await p.locator('.react-flow__node').count();
    await p.getByTestId('sweep').click();
    await p.getByTestId('sweep-node-0').selectOption('vgg2');
    await p.getByTestId('sweep-param-0').selectOption('repeat');
    await p.getByTestId('sweep-values-0').fill('0,2');
    await p.getByTestId('confirm-sweep').click();
    await expect
      .poll(() => p.locator('tr.variant-row .name-cell button').allTextContents())
      .toEqual(expect.arrayContaining(['VGG-mini: vgg2.repeat=0', 'VGG-mini: vgg2.repeat=2']));
    await p.keyboard.press('Escape');
    await p.getByText('VGG-mini: vgg2.repeat=2', { exact: true }).click();
    await expect.poll(() => p.locator('.react-flow__node').count()).toBe(nodesBefore + 1);
    type Box = { left: number; right: number; top: number; bottom: number };
    const boxes = await p
      .locator('.react-flow__node')
      .evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().toJSON() as Box));
    const overlap = (a: Box, b: Box) =>
      a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    expect(boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => overlap(a, b)))).toEqual([]);
    await session.shot('compare-sweep-repeat');
    await p.keyboard.press('Control+s');
    await expect.poll(() => p.getByTestId('document-name').textContent()).toBe('VGG sweep');
    expect(session.pageErrors).toEqual([]);
  });

  it('imports a Keras model JSON as a new document, and names a layer it cannot import', async () => {
    const p = page();
    const tensor = (name: string) => ({
      class_name: '__keras_tensor__',
      config: { keras_history: [name, 0, 0] },
    });
    const layer = (class_name: string, name: string, config: object, input?: string) => ({
      class_name,
      name,
      config: { name, ...config },
      inbound_nodes: input ? [{ args: [tensor(input)], kwargs: {} }] : [],
    });
    const model = (head: object) =>
      Buffer.from(
        JSON.stringify({
          class_name: 'Functional',
          config: {
            name: 'keras_cnn',
            layers: [
              layer('InputLayer', 'img', { batch_shape: [null, 28, 28, 1] }),
              layer(
                'Conv2D',
                'conv',
                { filters: 4, kernel_size: 3, padding: 'same', activation: 'relu' },
                'img',
              ),
              layer('MaxPooling2D', 'pool', { pool_size: 2, strides: 2, padding: 'valid' }, 'conv'),
              layer('Flatten', 'flat', {}, 'pool'),
              head,
            ],
            output_layers: [['logits', 0, 0]],
          },
        }),
      );
    const file = (buffer: Buffer) => ({ name: 'keras_cnn.json', mimeType: 'application/json', buffer });
    await p.getByTestId('import-file').setInputFiles(file(model(layer('EinsumDense', 'logits', {}, 'flat'))));
    await expect
      .poll(() => p.getByTestId('notice').textContent())
      .toMatch(
        /keras_cnn\.json was not imported: layer "logits" is a EinsumDense, which Blockwise has no node for/,
      );
    await p
      .getByTestId('import-file')
      .setInputFiles(file(model(layer('Dense', 'logits', { units: 10, activation: 'softmax' }, 'flat'))));
    // Unsaved work, if a scenario before left some, is asked about first.
    await discardingUnsaved(p, async () => (await docName()) === 'keras_cnn');
    // 4·9 + 4 conv weights, 4·14·14·10 + 10 dense ones.
    expect(await p.getByTestId('total-params').textContent()).toMatch(/^7,890 params/);
    expect(await p.locator('.react-flow__node').count()).toBe(6);
    await session.shot('import-keras');
    // And back out as a Keras script, which builds (against the Keras stand-in) with the same counts.
    await p.getByTestId('export').click();
    const script = await session.exported(() => p.getByTestId('export-py').click(), 'keras_cnn keras.py');
    const path = join(mkdtempSync(join(tmpdir(), 'bw-e2e-keras-')), 'model_keras.py');
    writeFileSync(path, script);
    const { stdout } = await runPython([pythonScript('keras_stub/run_scripts.py'), path]);
    expect(jsonLines(stdout)).toEqual([{ output: [10], trainable: 7890, nonTrainable: 0 }]);
  });
});
