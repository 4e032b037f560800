import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { inferShapes } from '../shared/shapes/infer-shapes.ts';
import { formatCount } from '../shared/shapes/quantity-format.ts';
import { templates } from '../shared/templates/catalogue.ts';
import { discardingUnsaved, type DesignerSession } from './designer-session.ts';

/** The page of the running session (created in a beforeAll, so looked up on each use). */
let current: () => DesignerSession;
const page = (): Page => current().page;

/** Drags a palette entry to a point of the canvas (pixels from its top-left corner). */
async function drop(type: string, x: number, y: number): Promise<void> {
  await page()
    .getByTestId(`palette-${type}`)
    .dragTo(page().locator('.react-flow__pane'), { targetPosition: { x, y } });
}

/** Sets parameters of the selected node in the inspector: text fields, or enum lists. */
async function setParams(params: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(params)) {
    const field = page().getByTestId(`param-${name}`);
    if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
    else {
      await field.fill(value);
      await field.press('Enter');
    }
  }
}

/** Draws an edge by dragging from one node's output handle to another's input handle. */
async function connect(from: string, to: string): Promise<void> {
  const edges = await page().locator('.react-flow__edge').count();
  await page()
    .locator(`[data-testid="node-${from}"] .react-flow__handle.source`)
    .dragTo(page().locator(`[data-testid="node-${to}"] .react-flow__handle.target`));
  await expect.poll(() => page().locator('.react-flow__edge').count()).toBe(edges + 1);
}

// VGG-11 as in d2l: five VGG blocks ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512)) on 1×224×224, then
// the classifier. The ReLUs after the dense layers are the Dense layers' own activation here.
const VGG11: [id: string, type: string, params: Record<string, string>][] = [
  ['input1', 'Input', { height: '224', width: '224' }],
  ['vgg1', 'block:vgg', { numConvs: '1', channels: '64' }],
  ['vgg2', 'block:vgg', { numConvs: '1', channels: '128' }],
  ['vgg3', 'block:vgg', { numConvs: '2', channels: '256' }],
  ['vgg4', 'block:vgg', { numConvs: '2', channels: '512' }],
  ['vgg5', 'block:vgg', { numConvs: '2', channels: '512' }],
  ['flatten1', 'Flatten', {}],
  ['dense1', 'Dense', { units: '4096', activation: 'relu' }],
  ['dropout1', 'Dropout', {}],
  ['dense2', 'Dense', { units: '4096', activation: 'relu' }],
  ['dropout2', 'Dropout', {}],
  ['dense3', 'Dense', { units: '10' }],
  ['output1', 'Output', {}],
];

/** Building a network by hand, saving it under a new name and exporting its diagram. */
export function buildingScenarios(session: () => DesignerSession): void {
  current = session;
  it('builds VGG-11 from the palette by dragging and wiring, and shows 512×7×7 before Flatten', async () => {
    await page().getByRole('button', { name: 'New' }).click();
    for (let i = 0; i < 3; i++) await page().locator('.react-flow__controls-zoomout').click();
    for (const [i, [id, type, params]] of VGG11.entries()) {
      const column = i % 3;
      await drop(type, 100 + column * 260, 50 + Math.floor(i / 3) * 150 + (column % 2) * 40);
      await page().getByTestId(`node-${id}`).waitFor();
      await setParams(params);
    }
    for (let i = 1; i < VGG11.length; i++) await connect(VGG11[i - 1]![0], VGG11[i]![0]);
    await session().shot('vgg11-by-hand');

    const intoFlatten = page()
      .locator('.react-flow__edge')
      .filter({ has: page().locator('text=512×7×7') });
    await expect.poll(() => intoFlatten.count()).toBe(1);
    expect(await page().getByTestId('shape-vgg5').textContent()).toBe('512×7×7');
    expect(await page().getByTestId('shape-flatten1').textContent()).toBe('25088');
    expect(await page().getByTestId('shape-output1').textContent()).toBe('10');
    expect(await page().getByTestId('problem').count()).toBe(0);
    const template = inferShapes(templates.find((t) => t.id === 'vgg11')!.build()).totals.params;
    expect(await page().getByTestId('total-params').textContent()).toMatch(
      new RegExp(`^${formatCount(template.trainable + template.nonTrainable)} params`),
    );
  });

  it('opens a built-in block read-only, with the shapes it has in this graph', async () => {
    await page().getByTestId('node-vgg4').dblclick();
    await page().getByTestId('block-path').waitFor();
    expect(await page().getByTestId('block-path').textContent()).toMatch(/built-in block, shown read-only/);
    expect(await page().getByTestId('shape-@in:in').textContent()).toBe('256×28×28');
    expect(await page().getByTestId('shape-conv2d2').textContent()).toBe('512×28×28');
    expect(await page().getByTestId('shape-maxpool2d1').textContent()).toBe('512×14×14');
    await page().getByTestId('node-conv2d1').click();
    expect(await page().getByTestId('param-filters').getAttribute('readonly')).not.toBeNull();
    await session().shot('builtin-block-inside');
    await page().getByRole('button', { name: 'Close block' }).click();
    await page().getByTestId('node-input1').waitFor();
  });

  it('saves under a new name, and exports the diagram as SVG and PNG', async () => {
    await page().getByTestId('save-as').click();
    await page().getByTestId('save-as-name').fill('VGG-11 by hand');
    await page().getByTestId('confirm-save-as').click();
    await expect
      .poll(() => page().getByTestId('notice').textContent())
      .toMatch(/Saved to .*VGG-11 by hand\.blockwise\.json/);
    expect(await page().getByTestId('document-name').textContent()).toBe('VGG-11 by hand');
    const saved = JSON.parse(
      readFileSync(join(session().documents, 'VGG-11 by hand.blockwise.json'), 'utf8'),
    );
    expect(saved.graph.nodes).toHaveLength(VGG11.length);

    const exportAs = (format: string) => async () => {
      await page().getByTestId('export').click();
      await page().getByTestId(`export-${format}`).click();
    };
    const svg = (await session().exported(exportAs('svg'), 'VGG-11 by hand.svg')).toString('utf8');
    expect(svg.match(/<rect class="node"/g)).toHaveLength(VGG11.length);
    expect(svg).toContain('>512×7×7</text>');

    const png = decode(await session().exported(exportAs('png'), 'VGG-11 by hand.png'));
    const [, , , width, height] = svg.match(/viewBox="([-\d.]+) ([-\d.]+) (\d+) (\d+)"/)!.map(Number);
    expect([png.width, png.height]).toEqual([2 * width!, 2 * height!]);
    // Drawn, not blank: some pixels are dark (text and lines on white).
    let dark = 0;
    for (let i = 0; i < png.data.length; i += png.channels) if (png.data[i]! < 100) dark++;
    expect(dark).toBeGreaterThan(1000);
    expect(session().pageErrors).toEqual([]);
  });

  it('drops a layer on a wire: it goes into the wire, rewired, with its shape and the next one rechecked', async () => {
    await page().getByTestId('template-lenet').click();
    await discardingUnsaved(page(), async () => (await page().getByTestId('node-avgpool2d1').count()) > 0);
    const edges = page().locator('.react-flow__edge');
    await expect.poll(() => edges.count()).toBe(9);
    // The whole network in view: the wire may start beyond the canvas's edge at a readable zoom.
    await page().locator('.react-flow__controls-fitview').click();
    const wire = page().locator('[aria-label="Edge from conv2d1 to avgpool2d1"]');
    const on = (await wire.locator('path').first().boundingBox())!;
    const pane = (await page().locator('.react-flow__pane').boundingBox())!;
    await page()
      .getByTestId('palette-BatchNorm')
      .dragTo(page().locator('.react-flow__pane'), {
        targetPosition: { x: on.x + on.width / 2 - pane.x, y: on.y + on.height / 2 - pane.y },
      });
    await expect.poll(() => edges.count()).toBe(10);
    const edgeNamed = (from: string, to: string) =>
      page().locator(`[aria-label="Edge from ${from} to ${to}"]`);
    expect(await edgeNamed('conv2d1', 'batchnorm1').count()).toBe(1);
    expect(await edgeNamed('batchnorm1', 'avgpool2d1').count()).toBe(1);
    expect(await edgeNamed('conv2d1', 'avgpool2d1').count()).toBe(0);
    expect(await page().getByTestId('shape-batchnorm1').textContent()).toBe('6×28×28');
    expect(await page().getByTestId('shape-avgpool2d1').textContent()).toBe('6×14×14');
    expect(await page().getByTestId('problem').count()).toBe(0);
    await session().shot('dropped-on-wire');
  });

  it('inserts a clicked palette layer after the selected one, and says why one cannot be wired', async () => {
    await page().getByTestId('node-conv2d2').click();
    await page().getByTestId('palette-Dropout').click();
    const edgeNamed = (from: string, to: string) =>
      page().locator(`[aria-label="Edge from ${from} to ${to}"]`);
    await expect.poll(() => edgeNamed('dropout1', 'avgpool2d2').count()).toBe(1);
    expect(await edgeNamed('conv2d2', 'dropout1').count()).toBe(1);
    expect(await page().getByTestId('shape-dropout1').textContent()).toBe('16×10×10');
    expect(await page().getByTestId('problem').count()).toBe(0);
    await session().shot('inserted-after-selected');
    await page().getByTestId('node-output1').click();
    await page().getByTestId('palette-Dense').click();
    await expect
      .poll(() => page().getByTestId('notice').textContent())
      .toMatch(/^Dense was added unwired: Output ends a network: nothing can follow it\./);
    await page().keyboard.press('Control+z');
    await expect.poll(() => page().getByTestId('node-dense4').count()).toBe(0);
  });

  it('shows why a wire is refused beside the cursor', async () => {
    // The notice the scenario before left would go by itself and move the canvas up between reading the
    // ports' places and pressing on one: close it first.
    const notice = page().getByTestId('notice');
    if (await notice.isVisible()) await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => notice.isVisible()).toBe(false);
    await page().locator('.react-flow__controls-fitview').click();
    const from = (await page()
      .locator('[data-testid="node-dropout1"] .react-flow__handle.source')
      .boundingBox())!;
    const to = (await page()
      .locator('[data-testid="node-conv2d2"] .react-flow__handle.target')
      .boundingBox())!;
    await page().mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page().mouse.down();
    try {
      const [x, y] = [to.x + to.width / 2, to.y + to.height / 2];
      await page().mouse.move(x, y, { steps: 8 });
      const refusal = page().locator('.connection-refusal');
      await expect.poll(() => refusal.textContent()).toBe('This edge would close a cycle.');
      const box = (await refusal.boundingBox())!;
      expect(Math.abs(box.x - x)).toBeLessThan(40);
      expect(Math.abs(box.y - y)).toBeLessThan(40);
      await session().shot('refused-beside-cursor');
    } finally {
      // A button left pressed would drag whatever the next scenario clicks.
      await page().mouse.up();
    }
  });

  it('opens a block from its node in one click', async () => {
    await page().getByTestId('template-vgg-mini').click();
    await discardingUnsaved(page(), async () => (await page().getByTestId('node-vgg1').count()) > 0);
    await page().getByTestId('open-vgg1').click();
    await expect.poll(() => page().getByTestId('block-path').textContent()).toMatch(/VGG block/);
    await page().getByRole('button', { name: 'Close block' }).click();
    await page().getByTestId('node-input1').waitFor();
  });
}
