import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { templates } from '../shared/templates/catalogue.ts';
import type { Page } from 'playwright-core';
import { discardingUnsaved, type DesignerSession } from './designer-session.ts';

/**
 * The designer's scenarios, run against any host: the browser-mode host in Chromium, and the desktop app
 * where an Electron binary exists. They run in order on one page.
 */
export function designerScenarios(session: () => DesignerSession): void {
  const page = () => session().page;
  const shot = (name: string) => session().shot(name);
  /** Answers "Unsaved changes" with Discard: the question must come. */
  const discardChanges = async () => {
    await page().getByRole('alertdialog', { name: 'Unsaved changes' }).waitFor();
    await page().getByTestId('confirm-discard').click();
  };
  /** Opens a template; `over: 'unsaved'` when the open document has changes, which the user discards. */
  const openTemplate = async (id: string, over: 'saved' | 'unsaved' = 'saved') => {
    await page().getByTestId(`template-${id}`).click();
    if (over === 'unsaved') await discardChanges();
  };

  it('starts on an empty canvas that says what to do', async () => {
    await expect(page().getByText('An empty canvas').isVisible()).resolves.toBe(true);
    await shot('empty');
  });

  it('opens LeNet with every shape and the parameter total shown', async () => {
    await openTemplate('lenet');
    await page().getByTestId('shape-conv2d2').waitFor();
    await expect.poll(() => page().locator('.react-flow__edge').count()).toBe(9);
    expect(await page().getByTestId('shape-conv2d2').textContent()).toBe('16×10×10');
    expect(await page().getByTestId('shape-flatten1').textContent()).toBe('400');
    expect(await page().getByTestId('total-params').textContent()).toMatch(/^61,706 params/);
    await shot('lenet');
  });

  it('checks an edited parameter before applying it, previews the shape, and undoes and redoes', async () => {
    await page().getByTestId('node-conv2d1').click();
    const filters = page().getByTestId('param-filters');
    await filters.fill('0');
    await expect(page().getByText('Not applied').isVisible()).resolves.toBe(true);
    await filters.fill('8');
    await expect(page().getByText('Output would be 8×28×28').isVisible()).resolves.toBe(true);
    await filters.press('Enter');
    await expect.poll(() => page().getByTestId('shape-conv2d1').textContent()).toBe('8×28×28');
    await shot('inspector');
    await page().getByTestId('undo').click();
    await expect.poll(() => page().getByTestId('shape-conv2d1').textContent()).toBe('6×28×28');
    await page().getByTestId('redo').click();
    await expect.poll(() => page().getByTestId('shape-conv2d1').textContent()).toBe('8×28×28');
  });

  it('refuses a bad JSON import with a message and keeps the open document', async () => {
    const before = await page().getByTestId('document-name').textContent();
    await page()
      .getByTestId('import-file')
      .setInputFiles({
        name: 'broken.json',
        mimeType: 'application/json',
        buffer: Buffer.from('{"format": "blockwise/graph", "formatVersion": 1, "graph": 5}'),
      });
    await page().getByTestId('notice').waitFor();
    expect(await page().getByTestId('notice').textContent()).toMatch(
      /broken\.json was not opened: app: .*expected object/,
    );
    expect(await page().getByTestId('document-name').textContent()).toBe(before);
    await shot('bad-import');
  });

  it('shows a mismatched Add on the node, in red, with the fix in the problems panel', async () => {
    const graph = {
      nodes: [
        {
          id: 'input1',
          type: 'Input',
          params: { channels: 1, height: 28, width: 28 },
          position: { x: 0, y: 0 },
        },
        {
          id: 'a',
          type: 'Conv2D',
          params: { filters: 8, kernel: 3, padding: 1 },
          position: { x: -150, y: 120 },
        },
        {
          id: 'b',
          type: 'Conv2D',
          params: { filters: 16, kernel: 3, padding: 1 },
          position: { x: 150, y: 120 },
        },
        { id: 'add1', type: 'Add', params: { inputs: 2 }, position: { x: 0, y: 260 } },
      ],
      edges: [
        { id: 'e1', source: 'input1', sourceHandle: 'out', target: 'a', targetHandle: 'in' },
        { id: 'e2', source: 'input1', sourceHandle: 'out', target: 'b', targetHandle: 'in' },
        { id: 'e3', source: 'a', sourceHandle: 'out', target: 'add1', targetHandle: 'in0' },
        { id: 'e4', source: 'b', sourceHandle: 'out', target: 'add1', targetHandle: 'in1' },
      ],
      blocks: [],
    };
    const file = {
      format: 'blockwise/graph',
      formatVersion: 1,
      app: { name: 'Blockwise', version: '0.1.0' },
      graph,
      meta: { name: 'mismatch' },
    };
    await page()
      .getByTestId('import-file')
      .setInputFiles({
        name: 'mismatch.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(file)),
      });
    await discardChanges();
    await page().getByTestId('node-add1').waitFor();
    // Edges are drawn once their nodes are measured; each carries its tensor shape.
    await expect.poll(() => page().locator('.react-flow__edge').count()).toBe(4);
    expect(await page().locator('.react-flow__edge-text').allTextContents()).toEqual([
      '1×28×28',
      '1×28×28',
      '8×28×28',
      '16×28×28',
    ]);
    expect(await page().getByTestId('node-add1').getAttribute('class')).toMatch(/has-problem/);
    expect(await page().getByTestId('node-add1').getAttribute('title')).toMatch(
      /Add needs inputs of one shape/,
    );
    const problems = await page().getByTestId('problem').allTextContents();
    expect(
      problems.some((p) => /add1\.in1 Add needs inputs of one shape.*1×1 Conv2D of 8 filters/.test(p)),
    ).toBe(true);
    await shot('mismatch');
  });

  it('opens every template with no problem shown', async () => {
    for (const t of templates) {
      await openTemplate(t.id);
      await expect.poll(() => page().getByTestId('document-name').textContent()).toBe(t.title);
      expect(await page().getByTestId('problem').count(), t.id).toBe(0);
      // What the receptive field says is a note, not a problem: GoogLeNet's covers its 96×96 input early.
      if (t.id === 'googlenet')
        expect(await page().getByTestId('note').first().textContent()).toMatch(
          /covers the whole 96×96 input/,
        );
    }
    await shot('last-template');
  });

  it('makes a block with an exposed parameter, reuses it, and edits its definition from inside', async () => {
    await openTemplate('lenet');
    await page().getByTestId('node-conv2d1').click();
    await page()
      .getByTestId('node-avgpool2d1')
      .click({ modifiers: ['Control'] });
    await page().getByTestId('make-block').click();
    await page().getByTestId('block-name').fill('Conv pool');
    await page().getByTestId('expose-conv2d1-filters').check();
    await shot('make-block-dialog');
    await page().getByTestId('confirm-make-block').click();
    await page().getByTestId('node-block11').waitFor();
    expect(await page().getByTestId('shape-block11').textContent()).toBe('6×14×14');
    expect(await page().getByTestId('total-params').textContent()).toMatch(/^61,706 params/);
    await page().getByTestId('node-block11').click();
    expect(await page().getByTestId('param-filters').inputValue()).toBe('6');

    await page()
      .getByTestId('palette-block:block1')
      .dragTo(page().locator('.react-flow__pane'), { targetPosition: { x: 150, y: 150 } });
    await page().getByTestId('node-block12').waitFor();
    expect(await page().getByTestId('node-block12').getAttribute('class')).toMatch(/has-problem/);
    await shot('user-block');

    await page().getByTestId('node-block11').dblclick();
    await page().getByTestId('block-path').waitFor();
    expect(await page().getByTestId('shape-@in:in').textContent()).toBe('1×28×28');
    expect(await page().getByTestId('shape-conv2d1').textContent()).toBe('6×28×28');
    await page().getByTestId('node-conv2d1').click();
    await page().getByTestId('param-padding').fill('0');
    await page().getByTestId('param-padding').press('Enter');
    await expect.poll(() => page().getByTestId('shape-conv2d1').textContent()).toBe('6×24×24');
    await shot('block-inside');
    // Escape in a field belongs to the field; on the canvas it closes the block.
    await page()
      .locator('.react-flow__pane')
      .click({ position: { x: 20, y: 300 } });
    await page().keyboard.press('Escape');
    await page().getByTestId('block-path').waitFor({ state: 'detached' });
    await expect.poll(() => page().getByTestId('shape-block11').textContent()).toBe('6×12×12');
    // The other instance shares the definition.
    await page().getByTestId('node-block12').dblclick();
    await page().getByTestId('node-conv2d1').click();
    expect(await page().getByTestId('param-padding').inputValue()).toBe('0');
    await page().getByRole('button', { name: 'Close block' }).click();
    await page().getByTestId('undo').click();
    await expect.poll(() => page().getByTestId('shape-block11').textContent()).toBe('6×14×14');

    await page().getByTestId('summary').click();
    expect(await page().getByTestId('summary-table').textContent()).toMatch(
      /Conv pool\s+Conv pool\s+6×14×14\s+156/,
    );
    await page().keyboard.press('Escape');
  });

  it('shows each instance’s own values inside its block, and flags a layer inside whose output is unused', async () => {
    await page().getByTestId('template-lenet').click();
    await discardingUnsaved(
      page(),
      async () => (await page().getByTestId('document-name').textContent()) === 'LeNet',
    );
    await page().getByTestId('node-conv2d1').click();
    await page()
      .getByTestId('node-avgpool2d1')
      .click({ modifiers: ['Control'] });
    await page().getByTestId('make-block').click();
    await page().getByTestId('expose-conv2d1-filters').check();
    await page().getByTestId('confirm-make-block').click();
    await page()
      .getByTestId('palette-block:block1')
      .dragTo(page().locator('.react-flow__pane'), { targetPosition: { x: 150, y: 150 } });
    await page().getByTestId('node-block12').click();
    await page().getByTestId('param-filters').fill('16');
    await page().getByTestId('param-filters').press('Enter');
    // block12's inside shows the filters it sets (16), marked as the instance's and edited on its node.
    await page().getByTestId('node-block12').dblclick();
    await page().getByTestId('node-conv2d1').click();
    expect(await page().getByTestId('param-filters').inputValue()).toBe('16');
    expect(await page().getByTestId('param-filters').getAttribute('readonly')).not.toBeNull();
    expect(await page().getByTestId('exposed-filters').textContent()).toMatch(/set it on the block node/);
    await page().getByRole('button', { name: 'Close block' }).click();
    // block11 sets none: its inside shows the definition's 6, editable there, with its shapes.
    await page().getByTestId('node-block11').dblclick();
    await page().getByTestId('node-conv2d1').click();
    expect(await page().getByTestId('param-filters').inputValue()).toBe('6');
    expect(await page().getByTestId('exposed-filters').count()).toBe(0);
    expect(await page().getByTestId('exposed-note').textContent()).toMatch(/filters → “filters”/);
    expect(await page().getByTestId('shape-conv2d1').textContent()).toBe('6×28×28');
    await shot('block-inside-instance');
    // A Dropout added inside with nothing selected (so not into the chain), its output going nowhere:
    // flagged there and outside.
    const pane = (await page().locator('.react-flow__pane').boundingBox())!;
    await page()
      .locator('.react-flow__pane')
      .click({ position: { x: pane.width / 2, y: pane.height - 20 } });
    await page().getByTestId('palette-Dropout').click();
    await expect
      .poll(() => page().getByTestId('problem').allTextContents())
      .toContainEqual(expect.stringMatching(/^dropout1 The output of this layer is not used/));
    await page().getByRole('button', { name: 'Close block' }).click();
    await expect
      .poll(() => page().getByTestId('problem').allTextContents())
      .toContainEqual(
        expect.stringMatching(/^block11 Inside the block, Dropout "dropout1": its output is not used/),
      );
    await shot('block-unused-inside');
  });

  it('duplicates the selection with Ctrl+D, and undoes it', async () => {
    await openTemplate('lenet', 'unsaved');
    await page().getByTestId('node-dense3').click();
    await page().keyboard.press('Control+d');
    await page().getByTestId('node-dense4').waitFor();
    expect(await page().getByTestId('shape-dense4').textContent()).toBe('⚠ problem');
    await page().keyboard.press('Control+z');
    await page().getByTestId('node-dense4').waitFor({ state: 'detached' });
  });

  it('saves, and reopens the same graph', async () => {
    // The scenario before undid its edit: the document is as opened again, so nothing asks.
    await openTemplate('resnet-mini');
    await expect.poll(() => page().getByTestId('document-name').textContent()).toBe('ResNet-mini');
    // Never saved: Ctrl+S asks for a name instead of writing "Untitled" somewhere.
    await page().keyboard.press('Control+s');
    await page().getByTestId('save-as-name').fill('ResNet-mini');
    await page().getByTestId('confirm-save-as').click();
    await expect
      .poll(() => page().getByTestId('notice').textContent())
      .toMatch(/Saved to .*ResNet-mini\.blockwise\.json/);
    // Ctrl+S while typing in an inspector field commits the field, then saves (it did nothing).
    await page().getByTestId('node-batchnorm1').click();
    await page().getByTestId('param-eps').fill('0.001');
    await page().keyboard.press('Control+s');
    await expect.poll(() => page().getByTestId('document-name').textContent()).toBe('ResNet-mini');
    const saved = readFileSync(join(session().documents, 'ResNet-mini.blockwise.json'), 'utf8');
    expect(saved).toMatch(/"eps": 0\.001/);
    const before = await page().getByTestId('total-params').textContent();
    await page().getByRole('button', { name: 'New' }).click();
    await expect.poll(() => page().getByTestId('total-params').textContent()).toMatch(/^0 params/);
    await page().getByTestId('open').click();
    await page().getByTestId('open-ResNet-mini').click();
    await expect.poll(() => page().getByTestId('total-params').textContent()).toBe(before);
    expect(await page().getByTestId('shape-residual3').textContent()).toBe('64×7×7');
    expect(await page().getByTestId('document-name').textContent()).toBe('ResNet-mini');
  });

  it('asks before New replaces unsaved work, and Cancel keeps it', async () => {
    await page().getByTestId('node-dense1').click();
    await page().keyboard.press('Delete');
    await page().getByTestId('node-dense1').waitFor({ state: 'detached' });
    await page().getByRole('button', { name: 'New' }).click();
    await page().getByRole('alertdialog', { name: 'Unsaved changes' }).waitFor();
    await shot('unsaved-question');
    await page().getByTestId('confirm-cancel').click();
    expect(await page().getByTestId('document-name').textContent()).toBe('ResNet-mini •');
    await expect(page().getByTestId('node-conv2d1').isVisible()).resolves.toBe(true);
    // Save as onto another document's name says so, and Enter never replaces it (it did): the question
    // that follows takes Enter as Cancel; only its Replace replaces.
    await page().getByTestId('save-as').click();
    await page().getByTestId('save-as-name').fill('ResNet-mini edit');
    await page().getByTestId('save-as-name').press('Enter');
    await expect.poll(() => page().getByTestId('document-name').textContent()).toBe('ResNet-mini edit');
    await page().getByTestId('save-as').click();
    await page().getByTestId('save-as-name').fill('ResNet-mini');
    // Polled: the dialog learns the names taken from the host after it opens (read at once, it raced it).
    await expect
      .poll(() => page().getByText('exists: Save asks before it replaces it').isVisible())
      .toBe(true);
    await shot('save-as-replace');
    await page().getByTestId('save-as-name').press('Enter');
    await page().getByRole('alertdialog', { name: 'Replace the document?' }).waitFor();
    await page().keyboard.press('Enter');
    await page().getByRole('alertdialog', { name: 'Replace the document?' }).waitFor({ state: 'detached' });
    expect(await page().getByTestId('document-name').textContent()).toBe('ResNet-mini edit');
  });

  it('opens the block of a problem found inside it and selects the layer at fault (no blank window)', async () => {
    await openTemplate('vgg-mini');
    await page().getByTestId('node-input1').click();
    await page().getByTestId('param-height').fill('3');
    await page().getByTestId('param-height').press('Enter');
    await page().getByTestId('problem').filter({ hasText: 'Inside the block' }).first().click();
    await page().getByTestId('block-path').waitFor();
    await expect.poll(() => page().getByTestId('node-maxpool2d1').getAttribute('class')).toMatch(/selected/);
    expect(await page().getByTestId('crash').count()).toBe(0);
    await shot('problem-inside-block');
    await page().keyboard.press('Escape');
  });

  it('deletes a wrong wire: click it, then Delete; Undo brings it back', async () => {
    await openTemplate('lenet', 'unsaved');
    await expect.poll(() => page().locator('.react-flow__edge').count()).toBe(9);
    // All of it in view: the layers clicked below may lie past the first view's edge.
    await page().locator('.react-flow__controls-fitview').click();
    const wire = page().locator('.react-flow__edge').nth(3);
    await wire.click({ force: true });
    await expect.poll(() => wire.getAttribute('class')).toMatch(/selected/);
    await page().keyboard.press('Delete');
    await expect.poll(() => page().locator('.react-flow__edge').count()).toBe(8);
    await page().keyboard.press('Control+z');
    await expect.poll(() => page().locator('.react-flow__edge').count()).toBe(9);
    // Right after a shortcut (here Ctrl+Z), Delete works on its first press (the second one did).
    const wireAgain = page().locator('.react-flow__edge').nth(3);
    await wireAgain.click({ force: true });
    await page().keyboard.press('Delete');
    await expect.poll(() => page().locator('.react-flow__edge').count()).toBe(8);
    await page().keyboard.press('Control+z');
    // And after the help overlay, and Escape: a node, then Backspace.
    await page().keyboard.press('?');
    await page().keyboard.press('Escape');
    await page().getByTestId('node-dense3').click();
    await page().keyboard.press('Backspace');
    await page().getByTestId('node-dense3').waitFor({ state: 'detached', timeout: 2000 });
    await page().keyboard.press('Control+z');
    await page().getByTestId('node-dense3').waitFor();
    // In a field, Backspace is the field's.
    await page().getByTestId('node-dense3').click();
    await page().getByTestId('param-units').press('Backspace');
    expect(await page().getByTestId('node-dense3').count()).toBe(1);
  });

  it('builds a chain from the palette by keyboard, each layer wired after the last', async () => {
    // The scenario before may end with its field edit undone or not: Discard if asked.
    await page().getByRole('button', { name: 'New' }).click();
    await discardingUnsaved(page(), async () =>
      /^0 params/.test((await page().getByTestId('total-params').textContent()) ?? ''),
    );
    for (const type of ['Input', 'Conv2D', 'Flatten', 'Dense', 'Output']) {
      await page().getByTestId(`palette-${type}`).focus();
      await page().keyboard.press('Enter');
    }
    await expect.poll(() => page().locator('.react-flow__edge').count()).toBe(4);
    expect(await page().getByTestId('problem').count()).toBe(0);
    expect(await page().getByTestId('shape-dense1').textContent()).toBe('128');
    await shot('built-by-keyboard');
  });

  it('opens a long template readable, the start of the network in view', async () => {
    await page().getByTestId('template-vgg16').click();
    await discardingUnsaved(page(), async () => (await page().getByTestId('node-vgg5').count()) > 0);
    const scale = async () =>
      Number(
        /scale\(([\d.]+)\)/.exec((await page().locator('.react-flow__viewport').getAttribute('style'))!)![1],
      );
    // Node text is 12 px: at this zoom it reads at 11 px or more.
    await expect.poll(scale).toBeGreaterThanOrEqual(0.92);
    // Polled: the node is drawn again once React Flow has measured it, and has no box in between.
    const boxOf = async (selector: ReturnType<Page['locator']>) => {
      let box: Awaited<ReturnType<typeof selector.boundingBox>> = null;
      await expect.poll(async () => (box = await selector.boundingBox()) !== null).toBe(true);
      return box!;
    };
    const input = await boxOf(page().getByTestId('node-input1'));
    const canvas = await boxOf(page().locator('.react-flow'));
    expect(input.y).toBeGreaterThanOrEqual(canvas.y);
    expect(input.x + input.width).toBeLessThanOrEqual(canvas.x + canvas.width);
    // From its start: the Input at the canvas's top left, not centred with empty canvas beside it.
    expect(input.x - canvas.x).toBeLessThan(100);
    expect(input.y - canvas.y).toBeLessThan(100);
    await shot('vgg16-opened');
  });

  it('opens a template for 1000 classes of colour images, as torchvision builds them', async () => {
    await page().getByTestId('template-classes').fill('1000');
    await page().getByTestId('template-channels').selectOption('3');
    expect(await page().getByTestId('template-vgg16').textContent()).toMatch(/3×224×224/);
    await openTemplate('vgg16');
    // torchvision.models.vgg16(): 138,357,544 parameters.
    await expect.poll(() => page().getByTestId('total-params').textContent()).toMatch(/^138,357,544 params/);
    expect(await page().getByTestId('shape-input1').textContent()).toBe('3×224×224');
    await shot('vgg16-imagenet');
    await page().getByTestId('template-classes').fill('ten');
    expect(await page().getByTestId('template-lenet').isDisabled()).toBe(true);
    await page().getByTestId('template-classes').fill('10');
    await page().getByTestId('template-channels').selectOption('own');
  });

  it('fits a 1024×700 window: every toolbar button on screen, no sideways scroll, one-line status bar', async () => {
    await page().setViewportSize({ width: 1024, height: 700 });
    try {
      const shortcuts = (await page().getByRole('button', { name: 'Shortcuts' }).boundingBox())!;
      expect(shortcuts.x + shortcuts.width).toBeLessThanOrEqual(1024);
      expect(await page().evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
      const status = (await page().getByTestId('status-bar').boundingBox())!;
      expect(status.height).toBeLessThan(40);
      await shot('window-1024x700');
    } finally {
      await page().setViewportSize({ width: 1400, height: 900 });
    }
  });

  it('stays inside the window with 12 variants, at 1440×900 and 1280×720: the tabs scroll, the toolbar stays', async () => {
    for (let i = 0; i < 11; i++) await page().getByTestId('duplicate-variant').click();
    await expect.poll(() => page().locator('.variant-tab').count()).toBe(12);
    try {
      for (const [width, height] of [
        [1440, 900],
        [1280, 720],
      ] as const) {
        await page().setViewportSize({ width, height });
        const size = await page().evaluate(
          '[document.documentElement.scrollWidth, document.documentElement.scrollHeight]',
        );
        expect(size, `${width}×${height}`).toEqual([width, height]);
        for (const name of ['Train', 'Summary', 'Shortcuts', 'Compare']) {
          const box = (await page().getByRole('button', { name, exact: true }).first().boundingBox())!;
          expect(box.x + box.width, `${name} at ${width}×${height}`).toBeLessThanOrEqual(width);
        }
        // The variant shown (the last one made) is in view in the strip, not past its edge.
        const strip = (await page().locator('.variant-tabs').boundingBox())!;
        const last = (await page().getByTestId('variant-11').boundingBox())!;
        expect(last.x + last.width, `the shown tab at ${width}×${height}`).toBeLessThanOrEqual(
          strip.x + strip.width + 1,
        );
        // One toolbar line, and with the Train panel open the canvas keeps room for the nodes: the
        // minimap goes when the canvas is short (at 1280×720 the toolbar wrapped and the canvas had 260 px).
        expect(
          (await page().locator('.toolbar').boundingBox())!.height,
          `toolbar at ${width}×${height}`,
        ).toBeLessThan(40);
        await page().getByTestId('train').click();
        await page().getByTestId('train-epochs').waitFor();
        const canvas = (await page().locator('.canvas').boundingBox())!;
        expect(canvas.height, `canvas with Train open at ${width}×${height}`).toBeGreaterThanOrEqual(300);
        expect(await page().locator('.react-flow__minimap').isVisible()).toBe(canvas.height > 480);
        await shot(`variants-12-train-${width}x${height}`);
        await page().getByTestId('train').click();
        await page().getByTestId('train-epochs').waitFor({ state: 'detached' });
        await shot(`variants-12-${width}x${height}`);
      }
    } finally {
      await page().setViewportSize({ width: 1400, height: 900 });
    }
  });

  it('resizes its panels with splitters, kept after a reload; Train over the whole window and back; Train in view at 1280×720', async () => {
    const box = async (testId: string) => (await page().getByTestId(testId).boundingBox())!;
    const canvasBox = async () => (await page().locator('.canvas').boundingBox())!;
    const view = () => page().locator('.react-flow__viewport').getAttribute('style');
    /** Drags a splitter's middle by (dx, dy), as a user does. */
    const drag = async (testId: string, dx: number, dy: number) => {
      const bar = await box(testId);
      const [x, y] = [bar.x + bar.width / 2, bar.y + bar.height / 2];
      await page().mouse.move(x, y);
      await page().mouse.down();
      await page().mouse.move(x + dx, y + dy, { steps: 8 });
      await page().mouse.up();
    };
    await page().setViewportSize({ width: 1280, height: 720 });
    try {
      await page().getByTestId('train').click();
      await page().getByTestId('train-epochs').waitFor();
      // Train stays in view however far the recipe's column is scrolled.
      await page()
        .locator('.training-settings')
        .evaluate((form) => form.scrollTo(0, form.scrollHeight));
      const train = await box('train-start');
      expect(train.y).toBeGreaterThanOrEqual(0);
      expect(train.y + train.height).toBeLessThanOrEqual(720);

      const canvas = await canvasBox();
      await drag('splitter-train', 0, -90);
      await drag('splitter-palette', 60, 0);
      const resized = await canvasBox();
      expect(canvas.height - resized.height).toBeGreaterThan(80);
      expect(canvas.width - resized.width).toBeGreaterThan(50);
      const sizes = async () => [(await box('panel-train')).height, (await box('panel-palette')).width];
      const dragged = await sizes();
      await shot('splitters-dragged-1280x720');

      await page().reload();
      await page().getByTestId('train').click();
      await page().getByTestId('train-epochs').waitFor();
      const kept = await sizes();
      expect(Math.abs(kept[0]! - dragged[0]!), 'the Train panel’s height').toBeLessThan(2);
      expect(Math.abs(kept[1]! - dragged[1]!), 'the palette’s width').toBeLessThan(2);

      // Over the whole window by key and back with Escape, then by its button: the canvas is as it was.
      const [nodes, viewport] = [await page().locator('.react-flow__node').count(), await view()];
      await page().keyboard.press('Control+Shift+F');
      expect(await box('training-panel')).toEqual({ x: 0, y: 0, width: 1280, height: 720 });
      expect((await box('train-start')).y + train.height).toBeLessThanOrEqual(720);
      await shot('train-whole-window-1280x720');
      await page().keyboard.press('Escape');
      expect((await box('training-panel')).height).toBeLessThan(400);
      await page().getByTestId('train-full-window').click();
      expect((await box('training-panel')).height).toBe(720);
      await page().getByTestId('train-full-window').click();
      expect((await box('panel-train')).height).toBeCloseTo(kept[0]!, 0);
      expect(await page().locator('.react-flow__node').count()).toBe(nodes);
      expect(await view()).toBe(viewport);

      // Compare over the whole window by its key, and back.
      await page().keyboard.press('Control+Shift+V');
      await page().getByTestId('compare-view').waitFor();
      await page().keyboard.press('Escape');
      await page().getByTestId('compare-view').waitFor({ state: 'detached' });
      await page().getByTestId('train').click();
    } finally {
      await page().setViewportSize({ width: 1400, height: 900 });
    }
  });

  it('logged no page errors or console errors and warnings on the way', () => {
    expect(session().pageErrors).toEqual([]);
  });
}
