import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPython } from '../main/export/python-runner.ts';
import { pytorchModel } from '../shared/export/pytorch/model-code.ts';
import { findTemplate } from '../shared/templates/catalogue.ts';
import { discardingUnsaved, startDesigner, type DesignerSession } from './designer-session.ts';

/** LeNet's exported model.py, its state_dict saved by PyTorch (seeded): the .pth a user brings. */
async function lenetPth(dir: string): Promise<string> {
  const code = pytorchModel(findTemplate('lenet')!.build());
  if (!code.ok) throw new Error(code.error.message);
  writeFileSync(join(dir, 'model.py'), code.value.code);
  const pth = join(dir, 'lenet.pth');
  const save = `import sys, torch; sys.path.insert(0, ${JSON.stringify(dir)}); from model import Net; torch.manual_seed(0); torch.save(Net().state_dict(), ${JSON.stringify(pth)})`;
  await runPython(['-c', save]);
  return pth;
}

/** Importing PyTorch weights in the app, in Chromium through the browser-mode host (which converts them). */
describe('importing a .pth in the app (browser mode)', () => {
  let session: DesignerSession;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-e2e-pth-'));
    session = await startDesigner();
  }, 180_000);
  afterAll(() => session?.close());
  const page = () => session.page;
  const status = async () => {
    const line = page().getByTestId('train-status');
    return (await line.count()) ? line.textContent() : null;
  };
  const keptId = async (other = '') => {
    let id = '';
    const kept = async () => {
      const text = (await status()) ?? '';
      id = text.startsWith('Kept as run ') ? text.slice('Kept as run '.length) : '';
      return id !== other ? id : '';
    };
    await expect.poll(kept, { timeout: 120_000 }).not.toBe('');
    return id;
  };
  const runJson = (id: string) =>
    JSON.parse(readFileSync(join(session.documents, 'Torch LeNet.runs', id, 'run.json'), 'utf8'));

  it('imports a state_dict into the open LeNet as a run, then trains only the head from it', async () => {
    const pth = await lenetPth(dir);
    await page().getByTestId('template-lenet').click();
    await discardingUnsaved(
      page(),
      async () => (await page().getByTestId('document-name').textContent()) === 'LeNet',
    );
    await page().keyboard.press('Control+s');
    await page().getByTestId('save-as-name').fill('Torch LeNet');
    await page().getByTestId('confirm-save-as').click();
    await expect.poll(() => page().getByTestId('document-name').textContent()).toBe('Torch LeNet');
    await page().getByTestId('train').click();
    await page().getByTestId('train-backend').selectOption('wasm');

    // A file PyTorch cannot read is said in words; the document stays as it is.
    writeFileSync(join(dir, 'damaged.pth'), 'not a pickle');
    await page().getByTestId('import-file').setInputFiles(join(dir, 'damaged.pth'));
    await expect
      .poll(() => page().getByTestId('notice').textContent(), { timeout: 30_000 })
      .toMatch(
        /^damaged\.pth was not read: it is not a PyTorch state_dict that loads with weights_only=True/,
      );

    await page().getByTestId('import-file').setInputFiles(pth);
    const id = await keptId();
    // Imported into the open design, not a new one: its runs are kept beside it.
    expect(await page().getByTestId('document-name').textContent()).toBe('Torch LeNet');
    expect(runJson(id)).toMatchObject({ importedFrom: 'lenet.pth', epochs: [], config: { epochs: 0 } });
    await expect.poll(() => page().getByTestId(`run-${id}`).count()).toBe(1);
    await expect.poll(() => page().getByTestId('run-list').textContent()).toMatch(/imported from lenet\.pth/);

    await page().getByTestId('train-freeze').selectOption('features');
    await page().getByTestId('train-epochs').fill('1');
    await page().getByTestId('train-max-batches').fill('2');
    // A new run from the imported weights, its features fixed: only the head trains.
    await page().getByRole('button', { name: 'Start from' }).first().click();
    await expect
      .poll(() => page().getByTestId('train-progress-text').textContent(), { timeout: 60_000 })
      .toMatch(/batch \d\/2/);
    await session.shot('import-pth-training');
    const trained = await keptId(id);
    expect(runJson(trained)).toMatchObject({ config: { freeze: 'features', epochs: 1 } });
    // Nothing went wrong in the page but the damaged file's answer (a 500, which Chromium logs).
    expect(session.pageErrors).toEqual([expect.stringMatching(/status of 500 \(Internal Server Error\)$/)]);
  });
});
