import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR } from '../main/services/dataset-catalogue.ts';
import { FASHION_MNIST_CLASSES } from '../shared/data/dataset.ts';
import { encodeIdx } from '../shared/data/idx.ts';
import { IDX_FILES } from '../shared/data/idx-dataset.ts';
import { runPython } from '../main/export/python-runner.ts';
import { runCli } from '../main/cli/cli.ts';
import { nodeFileSystem } from '../main/services/file-system.ts';
import { discardingUnsaved, startDesigner, type DesignerSession } from './designer-session.ts';

/** Training in the app, in Chromium through the browser-mode host: the real worker, the real dataset route. */
describe('training in the app (browser mode)', () => {
  let session: DesignerSession;
  beforeAll(async () => void (session = await startDesigner()), 180_000);
  afterAll(() => session?.close());
  const page = () => session.page;
  /** The run status line, or null while the panel shows no run (a kept run opened from the list, say). */
  const status = async () => {
    const line = page().getByTestId('train-status');
    return (await line.count()) ? line.textContent() : null;
  };
  /** The open document's name, with its unsaved mark ("LeNet •") when it has one. */
  const docName = () => page().getByTestId('document-name').textContent();
  const setField = async (id: string, value: string) => page().getByTestId(`train-${id}`).fill(value);
  /** A scenario's own document: LeNet saved as `name` (its runs in a folder of their own), Train panel open. */
  const openLeNet = async (name: string) => {
    await page().getByTestId('template-lenet').click();
    await discardingUnsaved(page(), async () => (await docName()) === 'LeNet');
    await page().keyboard.press('Control+s');
    await page().getByTestId('save-as-name').fill(name);
    await page().getByTestId('confirm-save-as').click();
    await expect.poll(() => page().getByTestId('document-name').textContent()).toBe(name);
    if (!(await page().getByTestId('train-epochs').isVisible())) await page().getByTestId('train').click();
  };
  /** Waits for a run to be kept (another than the one the panel showed before) and reads its run.json. */
  const keptRun = async (before: string | null, document = 'LeNet run') => {
    let id = '';
    await expect
      .poll(
        async () => {
          const text = (await status()) ?? '';
          id = text.startsWith('Kept as run ') && text !== before ? text.slice('Kept as run '.length) : '';
          return id;
        },
        { timeout: 120_000 },
      )
      .not.toBe('');
    return {
      id,
      run: JSON.parse(readFileSync(join(session.documents, `${document}.runs`, id, 'run.json'), 'utf8')),
    };
  };

  it('trains LeNet on wasm in a worker: progress and curves move, the run is kept and listed after a reload', async () => {
    expect(await page().evaluate('crossOriginIsolated')).toBe(true);
    // The launch token went into a cookie: it is not left in the address bar or the history.
    expect(new URL(page().url()).search).toBe('');
    await openLeNet('LeNet run');
    // Before any run, the data: its classes with some of their images.
    await expect.poll(() => page().getByTestId('data-preview').locator('canvas').count()).toBe(30);
    // The template's recipe is the starting point.
    expect(await page().getByTestId('train-lr').inputValue()).toBe('0.9');
    await setField('epochs', '1');
    await setField('max-batches', '20');
    await page().getByTestId('train-backend').selectOption('wasm');
    await page().getByTestId('train-start').click();
    await expect
      .poll(() => page().getByTestId('train-progress-text').textContent(), { timeout: 60_000 })
      .toMatch(/batch \d+\/20/);
    await expect.poll(() => page().getByTestId('chart-loss').getAttribute('data-points')).not.toBe('0');
    expect(await page().getByTestId('train-backend-used').textContent()).toMatch(
      /^wasm · WebAssembly SIMD, \d+ threads?$/,
    );
    const { run } = await keptRun(null);
    expect(Number(await page().getByTestId('chart-loss').getAttribute('data-points'))).toBe(20);
    await expect(page().getByTestId('run-results').isVisible()).resolves.toBe(true);
    // The charts say their values under the pointer; the loss is on a log scale that can be switched off.
    await page().getByTestId('chart-loss').locator('.u-over').hover();
    await expect
      .poll(() => page().getByTestId('chart-loss-readout').textContent())
      .toMatch(/^batch \d+: loss \d+\.?\d* · loss, smoothed \d+\.?\d*$/);
    expect(await page().getByTestId('chart-loss-log').isChecked()).toBe(true);
    // The confusion matrix names its columns as its rows, and says what its colours mean.
    const heads = await page().locator('.confusion thead th.column-head').allTextContents();
    expect(heads.slice(0, 10)).toEqual(FASHION_MNIST_CLASSES);
    expect(await page().getByTestId('confusion-scale').textContent()).toMatch(/0%.*100% of the true class/);
    // A confusion cell opens its test images: a whole row's count when the net predicts one class.
    const cell = page().locator('td.clickable').first();
    const count = Number(await cell.textContent());
    await cell.click();
    await expect
      .poll(() => page().getByTestId('mistakes').locator('canvas').count())
      .toBe(Math.min(40, count));
    await session.shot('training-lenet');
    expect(run).toMatchObject({
      format: 'blockwise/run',
      backend: 'wasm',
      stoppedBy: 'completed',
      config: { lr: 0.9 },
    });

    await page().reload();
    await page().getByTestId('open').click();
    await page().getByTestId('open-LeNet run').click();
    // Opening reads the file from the host: the recipe comes with it (reading the field before raced it).
    await expect.poll(() => page().getByTestId('document-name').textContent()).toBe('LeNet run');
    await page().getByTestId('train').click();
    // The document kept its recipe: LeNet's, not the default Adam.
    await expect.poll(() => page().getByTestId('train-lr').inputValue()).toBe('0.9');
    await expect.poll(() => page().getByTestId('run-list').locator('li').count()).toBe(1);
    await page().getByTestId('run-list').locator('[data-testid^="run-"]').first().click();
    await expect(page().getByTestId('run-results').textContent()).resolves.toMatch(/Test accuracy \d+\.\d%/);
    expect(await page().getByTestId('chart-kept-loss').getAttribute('data-points')).toBe('1');

    // As a PyTorch project with its weights, whose verify.py finds PyTorch computing what tfjs did.
    const runId = (await page()
      .getByTestId('run-list')
      .locator('[data-testid^="pytorch-"]')
      .first()
      .getAttribute('data-testid'))!.replace('pytorch-', '');
    const zip = await session.exported(
      () => page().getByTestId(`pytorch-${runId}`).click(),
      `LeNet run run ${runId} PyTorch.zip`,
    );
    const project = mkdtempSync(join(tmpdir(), 'bw-e2e-pytorch-'));
    for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(zip))))
      writeFileSync(join(project, name), bytes);
    expect(readdirSync(project).sort()).toEqual([
      'README.md',
      'model.py',
      'names.json',
      'network.json',
      'recipe.json',
      'train.py',
      'verify.py',
      'verify_inputs.bin',
      'verify_logits.bin',
      'weights.bin',
      'weights.json',
    ]);
    const { stdout } = await runPython(['verify.py'], { cwd: project });
    expect(stdout).toMatch(/max \|PyTorch - tfjs\| = \S+ over 4 inputs/);
    // The design alone, from Export…: model.py, train.py with its recipe and network, and the README.
    const design = await session.exported(async () => {
      await page().getByTestId('export').click();
      await page().getByTestId('export-zip').click();
    }, 'LeNet run PyTorch.zip');
    expect(Object.keys(unzipSync(new Uint8Array(design))).sort()).toEqual([
      'README.md',
      'model.py',
      'names.json',
      'network.json',
      'recipe.json',
      'train.py',
    ]);

    // Its weights can be exported (tfjs artifacts), and the run continued from its checkpoint.
    const downloads: string[] = [];
    page().on('download', (d) => void downloads.push(d.suggestedFilename()));
    await page().getByRole('button', { name: 'Export', exact: true }).first().click();
    await expect.poll(() => downloads.sort()).toEqual(['model.json', 'weights.bin']);
    await setField('epochs', '2');
    const shownBefore = await status();
    await page().getByRole('button', { name: 'Continue' }).first().click();
    const { run: continued } = await keptRun(shownBefore);
    // Epoch 1 is the first run's, epoch 2 this one's: the same recipe, two epochs in all.
    expect(continued.epochs).toHaveLength(2);
    expect(continued.epochs[0]).toEqual(run.epochs[0]);
    expect(continued.config).toMatchObject({ lr: 0.9, maxBatchesPerEpoch: 20, epochs: 2 });

    // A new run of the design from that run's weights, its features fixed: only the head trains.
    await setField('epochs', '1');
    await setField('max-batches', '5');
    await page().getByTestId('train-freeze').selectOption('features');
    const continuedShown = await status();
    await page().getByRole('button', { name: 'Start from' }).first().click();
    const { run: transferred } = await keptRun(continuedShown);
    expect(transferred.config).toMatchObject({ freeze: 'features', epochs: 1 });

    // Or with the layers the user ticks kept fixed: here the first convolution.
    await page().getByTestId('train-freeze').selectOption('chosen');
    const first = page().getByTestId('frozen-nodes').locator('input').first();
    const firstId = (await first.getAttribute('data-testid'))!.replace('freeze-', '');
    await first.check();
    await session.shot('training-freeze-chosen');
    const transferredShown = await status();
    await page().getByRole('button', { name: 'Start from' }).first().click();
    const { run: chosen } = await keptRun(transferredShown);
    expect(chosen.config).toMatchObject({ freeze: [firstId] });
    await page().getByTestId('train-freeze').selectOption('none');
  });

  it('stops after the current batch, keeping and testing what was trained, with the recipe set', async () => {
    await openLeNet('LeNet stopped');
    await setField('epochs', '20');
    await setField('max-batches', '');
    await page().getByTestId('train-optimizer').selectOption('sgd');
    await setField('weight-decay', '0.0005');
    await page().getByTestId('train-schedule').selectOption('cosine');
    await page().getByTestId('train-flip').check();
    await setField('crop', '2');
    const runsBefore = await page().getByTestId('run-list').locator('li').count();
    await page().getByTestId('train-start').click();
    await expect
      .poll(() => page().getByTestId('train-progress-text').textContent(), { timeout: 60_000 })
      .toMatch(/batch [3-9]\d*\//);
    await page().getByTestId('train-pause').click();
    // Paused: the progress holds still until Resume.
    await page().getByTestId('train-resume').waitFor();
    const held = await page().getByTestId('train-progress-text').textContent();
    await page().waitForTimeout(1000);
    expect(await page().getByTestId('train-progress-text').textContent()).toBe(held);
    await page().getByTestId('train-resume').click();
    await page().getByTestId('train-stop').click();
    // The panel showed "Training…" since Train was pressed: any kept run now is this one.
    const { run } = await keptRun(null, 'LeNet stopped');
    await expect.poll(() => page().getByTestId('run-list').locator('li').count()).toBe(runsBefore + 1);
    expect(await page().getByTestId('run-list').textContent()).toMatch(/user/);
    expect(run.config).toMatchObject({
      epochs: 20,
      optimizer: { kind: 'sgd', weightDecay: 0.0005 },
      schedule: { kind: 'cosine' },
      augment: { flip: true, cropPadding: 2 },
    });
  });

  it('lists a kept run whose run.json it cannot read, with the reason, where it was blank or left out', async () => {
    const folder = join(session.documents, 'Odd runs.runs', '20260101-000000');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'run.json'), JSON.stringify({ format: 'blockwise/run', formatVersion: 9 }));
    await openLeNet('Odd runs');
    const row = page().getByTestId('run-20260101-000000');
    await expect
      .poll(() => row.textContent())
      .toMatch(/^20260101-000000 · cannot be read: it was written by a newer Blockwise \(run format 9/);
    expect(session.pageErrors).toEqual([]);
  });

  it("takes only what the recipe's schema takes, says why at the field, and sets the initial weights", async () => {
    await openLeNet('Recipe fields');
    await setField('lr', '1000');
    await expect
      .poll(() => page().getByTestId('train-lr-problem').textContent())
      .toBe('Learning rate: at most 100');
    await session.shot('training-field-problem');
    await page().getByTestId('train-init').selectOption('pytorch');
    await page().keyboard.press('Control+s');
    const file = join(session.documents, 'Recipe fields.blockwise.json');
    // Saved with the last good learning rate (1000 made Save list raw validation issues).
    await expect
      .poll(() => JSON.parse(readFileSync(file, 'utf8')).meta.recipe)
      .toMatchObject({ lr: 0.9, init: 'pytorch' });
    await page().getByTestId('train-lr').blur();
    expect(await page().getByTestId('train-lr').inputValue()).toBe('0.9');
    expect(await page().getByTestId('train-lr-problem').count()).toBe(0);
    expect(session.pageErrors).toEqual([]);
  });

  it('starts WebGL in the worker (SwiftShader here) and trains batches on it', async () => {
    await openLeNet('LeNet on WebGL');
    await setField('batch', '32');
    await page().getByTestId('train-backend').selectOption('webgl');
    await page().getByTestId('train-start').click();
    await expect
      .poll(() => page().getByTestId('train-progress-text').textContent(), { timeout: 120_000 })
      .toMatch(/batch [3-9]\d*\//);
    expect(await page().getByTestId('train-backend-used').textContent()).toMatch(/^webgl · .*SwiftShader/);
    await page().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(status).toMatch(/Cancelled/);
    expect(session.pageErrors).toEqual([]);
  });

  it('says, before training, that VGG-16 at batch 128 needs more memory than training may use, and the batch that fits', async () => {
    await page().getByTestId('template-vgg16').click();
    await discardingUnsaved(page(), async () => (await docName()) === 'VGG-16');
    if (!(await page().getByTestId('train-epochs').isVisible())) await page().getByTestId('train').click();
    const problem = page().getByTestId('fit-problem');
    await expect
      .poll(() => problem.textContent())
      .toMatch(
        /^Training this network at batch 128 needs about 16\.\d GiB.*Lower the batch to (\d+) or less/,
      );
    expect(await page().getByTestId('train-start').isDisabled()).toBe(true);
    // Problems lists it too (it said "No problems"), and the disabled Train says why.
    await expect
      .poll(() => page().getByTestId('problem').allTextContents())
      .toContainEqual(expect.stringMatching(/^graph Training this network at batch 128/));
    expect(await page().getByTestId('train-start').getAttribute('title')).toMatch(/^Training this network/);
    await problem.scrollIntoViewIfNeeded();
    await session.shot('training-too-large');
    const fits = /Lower the batch to (\d+)/.exec((await problem.textContent()) ?? '')![1]!;
    await setField('batch', fits);
    await expect.poll(() => problem.count()).toBe(0);
    expect(await page().getByTestId('train-start').isDisabled()).toBe(false);
    expect(session.pageErrors).toEqual([]);
  });

  it('imports a tfjs model with its weights: they are tested and kept as a run of no epochs that trains on', async () => {
    // Its own model, made by the CLI (a LeNet after two batches), and what the CLI's import measured of it.
    const dir = mkdtempSync(join(tmpdir(), 'bw-e2e-import-'));
    const cli = (args: string[]) =>
      runCli([...args, '--backend', 'wasm'], {
        out: () => undefined,
        err: () => undefined,
        progress: null,
        fs: nodeFileSystem,
      });
    const source = join(dir, 'trained');
    expect(
      await cli(['train', 'template:lenet', '--epochs', '1', '--max-batches', '2', '--out', source]),
    ).toBe(0);
    const byCli = join(dir, 'imported-by-cli');
    expect(
      await cli(['import', join(source, 'model.json'), '--out', join(dir, 'g.json'), '--run', byCli]),
    ).toBe(0);
    const expected = JSON.parse(readFileSync(join(byCli, 'run.json'), 'utf8'));
    // Tested where the CLI tested it: the backend is this machine's choice, kept from the scenarios before.
    if (!(await page().getByTestId('train-backend').isVisible())) await page().getByTestId('train').click();
    await page().getByTestId('train-backend').selectOption('wasm');
    const shownBefore = await status();
    await page()
      .getByTestId('import-file')
      .setInputFiles([join(source, 'model.json'), join(source, 'weights.bin')]);
    // An open document with unsaved changes is asked about first.
    const asked = page().getByTestId('confirm-discard');
    await discardingUnsaved(
      page(),
      async () => !(await asked.isVisible()) && (await status()) !== shownBefore,
    );
    await expect.poll(status, { timeout: 120_000 }).toMatch(/^Kept as run /);
    expect(await status()).not.toBe(shownBefore);
    const id = (await status())!.slice('Kept as run '.length);
    // Never saved, its run is kept with it, and its first save takes the run beside it.
    await page().keyboard.press('Control+s');
    await page().getByTestId('save-as-name').fill('Imported LeNet');
    await page().getByTestId('confirm-save-as').click();
    await expect.poll(() => page().getByTestId('document-name').textContent()).toBe('Imported LeNet');
    const name = 'Imported LeNet';
    const imported = JSON.parse(
      readFileSync(join(session.documents, `${name}.runs`, id, 'run.json'), 'utf8'),
    );
    expect(await page().getByTestId(`run-${id}`).count()).toBe(1);
    // The same weights on the same test images: what the CLI's import measured.
    expect(imported).toMatchObject({ importedFrom: 'model.json', epochs: [], config: { epochs: 0 } });
    expect(imported.test.accuracy).toBe(expected.test.accuracy);
    expect(imported.test.loss).toBeCloseTo(expected.test.loss, 4);
    expect(await page().getByTestId('run-list').textContent()).toMatch(/imported from model\.json/);
    await session.shot('training-imported-weights');
    // Continue trains the imported weights on, from epoch 1.
    await setField('epochs', '1');
    await setField('max-batches', '3');
    await page().getByRole('button', { name: 'Continue' }).first().click();
    await expect
      .poll(async () => ((await status()) ?? '').replace(`Kept as run ${id}`, ''), { timeout: 120_000 })
      .toMatch(/^Kept as run /);
    const next = (await status())!.slice('Kept as run '.length);
    const continued = JSON.parse(
      readFileSync(join(session.documents, `${name}.runs`, next, 'run.json'), 'utf8'),
    );
    expect(continued.epochs).toHaveLength(1);
    expect(session.pageErrors).toEqual([]);
  });
});

describe('training with a damaged dataset (browser mode)', () => {
  let session: DesignerSession;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-bad-fmnist-'));
    for (const stem of Object.values(IDX_FILES)) {
      const bytes = readFileSync(join(FASHION_MNIST_DIR, `${stem}.gz`));
      writeFileSync(join(dir, `${stem}.gz`), stem === IDX_FILES.testLabels ? bytes.subarray(0, 20) : bytes);
    }
    session = await startDesigner({ fashionMnistDir: dir });
  }, 180_000);
  afterAll(() => session?.close());

  it('shows the file and the problem in the panel, and leaves the graph as it was', async () => {
    const page = session.page;
    await page.getByTestId('template-lenet').click();
    await page.getByTestId('train').click();
    await page.getByTestId('train-start').click();
    await expect
      .poll(() => page.getByTestId('train-status').textContent(), { timeout: 60_000 })
      .toMatch(/t10k-labels-idx1-ubyte\.gz is not a readable gzip file/);
    expect(await page.getByTestId('total-params').textContent()).toMatch(/^61,706 params/);
    await session.shot('training-bad-dataset');
  });
});

/** Trains the open LeNet one epoch on wasm and answers the run it kept (its run.json). */
async function trainOneEpoch(session: DesignerSession) {
  const page = session.page;
  await page.getByTestId('train-epochs').fill('1');
  await page.getByTestId('train-backend').selectOption('wasm');
  await page.getByTestId('train-start').click();
  await expect
    .poll(() => page.getByTestId('train-status').textContent(), { timeout: 120_000 })
    .toMatch(/^Kept as run /);
  const id = (await page.getByTestId('train-status').textContent())!.replace('Kept as run ', '');
  // Never saved: the host keeps its runs with its draft, one folder per unsaved document.
  const drafts = join(session.data, 'draft-runs');
  const [draft] = readdirSync(drafts).filter((d) => existsSync(join(drafts, d, id)));
  return JSON.parse(readFileSync(join(drafts, draft!, id, 'run.json'), 'utf8'));
}

describe('training on the user’s own dataset (browser mode)', () => {
  let session: DesignerSession;
  beforeAll(async () => void (session = await startDesigner()), 180_000);
  afterAll(() => session?.close());

  it('offers each MNIST-style folder of ~/Blockwise/datasets, trains on it, and says why a broken one cannot be used', async () => {
    const write = (dir: string, name: string, bytes: Uint8Array) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, name), bytes);
    };
    // Ten classes of 28×28 images: each class a band of rows, a dataset LeNet's input takes as it is.
    const set = (n: number) => ({
      labels: Uint8Array.from({ length: n }, (_, i) => i % 10),
      images: Uint8Array.from({ length: n * 784 }, (_, i) =>
        Math.floor((i % 784) / 78.4) === Math.floor(i / 784) % 10 ? 255 : 0,
      ),
    });
    const own = join(session.documents, 'datasets', 'my digits');
    const [train, test] = [set(200), set(50)];
    write(own, IDX_FILES.trainImages, encodeIdx([200, 28, 28], train.images));
    write(own, IDX_FILES.trainLabels, encodeIdx([200], train.labels));
    write(own, IDX_FILES.testImages, encodeIdx([50, 28, 28], test.images));
    write(own, IDX_FILES.testLabels, encodeIdx([50], test.labels));
    write(
      join(session.documents, 'datasets', 'half'),
      IDX_FILES.trainLabels,
      encodeIdx([1], new Uint8Array(1)),
    );

    const page = session.page;
    await page.getByTestId('template-lenet').click();
    await page.getByTestId('train').click();
    await expect
      .poll(() => page.getByTestId('train-dataset').locator('option').allTextContents())
      .toEqual(['Fashion-MNIST', 'half (cannot be read)', 'my digits']);
    await page.getByTestId('train-dataset').selectOption('half');
    await expect(page.getByTestId('dataset-problem').textContent()).resolves.toMatch(
      /train-images-idx3-ubyte.*not found/,
    );
    expect(await page.getByTestId('train-start').isDisabled()).toBe(true);

    await page.getByTestId('train-dataset').selectOption('my digits');
    await expect
      .poll(() => page.getByTestId('data-preview').textContent())
      .toMatch(/my digits · 10 classes · 200 training and 50 test images of 1×28×28/);
    const run = await trainOneEpoch(session);
    expect(run.dataset).toMatchObject({
      name: 'my digits',
      classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      train: 200,
      test: 50,
    });
    await session.shot('training-own-dataset');
  });
});

describe('adding a dataset folder from elsewhere (browser mode: a typed path)', () => {
  let session: DesignerSession;
  beforeAll(async () => void (session = await startDesigner()), 180_000);
  afterAll(() => session?.close());

  it('marks the Output on the canvas when the data has 3 classes and the network scores 10', async () => {
    const three = join(session.documents, 'datasets', 'three');
    mkdirSync(three, { recursive: true });
    const set = (n: number) => ({
      labels: Uint8Array.from({ length: n }, (_, i) => i % 3),
      images: Uint8Array.from({ length: n * 784 }, (_, i) => (Math.floor(i / 784) % 3) * 100),
    });
    for (const [[images, labels], n] of [
      [[IDX_FILES.trainImages, IDX_FILES.trainLabels], 60],
      [[IDX_FILES.testImages, IDX_FILES.testLabels], 30],
    ] as const) {
      const { images: pixels, labels: classes } = set(n);
      writeFileSync(join(three, images), encodeIdx([n, 28, 28], pixels));
      writeFileSync(join(three, labels), encodeIdx([n], classes));
    }
    const page = session.page;
    await page.getByTestId('template-lenet').click();
    await discardingUnsaved(
      page,
      async () => (await page.getByTestId('document-name').textContent()) === 'LeNet',
    );
    if (!(await page.getByTestId('train-epochs').isVisible())) await page.getByTestId('train').click();
    await expect
      .poll(() => page.getByTestId('train-dataset').locator('option').allTextContents())
      .toContain('three');
    await page.getByTestId('train-dataset').selectOption('three');
    const output = page.getByTestId('node-output1');
    await expect.poll(() => output.getAttribute('class')).toMatch(/has-problem/);
    expect(await output.getAttribute('title')).toMatch(/10 class scores; the data has 3 classes/);
    expect(await page.getByTestId('node-input1').getAttribute('class')).not.toMatch(/has-problem/);
    // Clicking the problem reveals the node it marks.
    await page.getByTestId('problem').filter({ hasText: 'output1' }).click();
    await session.shot('training-misfit-canvas');
    // Closing the Train panel takes the misfit away with it.
    await page.getByTestId('train').click();
    await expect.poll(() => output.getAttribute('class')).not.toMatch(/has-problem/);
  });

  it('refuses a folder outside the home folder, adds a CSV dataset with named classes, and trains on it', async () => {
    // Ten classes of 28×28 grey images as CSV rows (label, then 784 pixels): class k lights row band k.
    const rows = (n: number) =>
      Array.from({ length: n }, (_, r) => {
        const label = r % 10;
        const pixels = Array.from({ length: 784 }, (_, i) => (Math.floor(i / 78.4) === label ? 255 : 0));
        return [label, ...pixels].join(',');
      }).join('\n');
    // The host takes the documents folder's parent for the user's home: the dataset lies there.
    const folder = join(session.documents, '..', 'downloads', 'bands');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'train.csv'), rows(200));
    writeFileSync(join(folder, 'test.csv'), rows(50));
    const names = ['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8', 'b9'];
    writeFileSync(join(folder, 'dataset.json'), JSON.stringify({ classes: names }));

    const page = session.page;
    await page.getByTestId('template-lenet').click();
    await page.getByTestId('train').click();
    await page.getByTestId('add-dataset').click();
    await page.getByTestId('add-dataset-path').fill('/etc');
    await page.getByTestId('confirm-add-dataset').click();
    await expect
      .poll(() => page.getByTestId('add-dataset-problem').textContent())
      .toMatch(/adds datasets only from folders in .* not hidden/);
    await page.getByTestId('add-dataset-path').fill(folder);
    await session.shot('training-add-dataset');
    await page.getByTestId('confirm-add-dataset').click();
    await expect.poll(() => page.getByTestId('add-dataset-path').count()).toBe(0);
    expect(await page.getByTestId('train-dataset').inputValue()).toBe('bands');
    await expect
      .poll(() => page.getByTestId('data-preview').textContent())
      .toMatch(/bands · 10 classes · 200 training and 50 test images of 1×28×28/);
    expect(await page.getByTestId('data-preview').textContent()).toContain('b9');
    const run = await trainOneEpoch(session);
    expect(run.dataset).toMatchObject({ name: 'bands', classes: names, train: 200, test: 50 });
    await session.shot('training-added-dataset');

    // Removed from the list, it is offered no more, after a reload too; its folder stays.
    await page.getByTestId('remove-dataset').scrollIntoViewIfNeeded();
    await session.shot('training-remove-dataset');
    await page.getByTestId('remove-dataset').click();
    await expect.poll(() => page.getByTestId('train-dataset').inputValue()).toBe('fashion-mnist');
    const offered = () => page.getByTestId('train-dataset').locator('option').allTextContents();
    // Only this one is gone (a dataset an earlier scenario added may stay listed).
    expect(await offered()).toContain('Fashion-MNIST');
    expect(await offered()).not.toContain('bands');
    expect(await page.getByTestId('remove-dataset').count()).toBe(0);
    await page.reload();
    if (!(await page.getByTestId('train-dataset').isVisible())) await page.getByTestId('train').click();
    await expect.poll(offered).toContain('Fashion-MNIST');
    expect(await offered()).not.toContain('bands');
    expect(readdirSync(folder).sort()).toEqual(['dataset.json', 'test.csv', 'train.csv']);
  });
});
