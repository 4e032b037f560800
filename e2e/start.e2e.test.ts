import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templates } from '../shared/templates/catalogue.ts';
import { templateNotes } from '../shared/templates/template-notes.ts';
import { startDesigner, type DesignerSession } from './designer-session.ts';

/** The start screen, in Chromium through the browser-mode host, from a first launch on. */
describe('the start screen (browser mode)', () => {
  let session: DesignerSession;
  beforeAll(async () => void (session = await startDesigner({ startScreen: 'keep' })), 180_000);
  afterAll(() => session?.close());
  const page = () => session.page;
  const docName = () => page().getByTestId('document-name').textContent();
  const cards = () => page().locator('[data-card]');
  // An expression, not a function: the e2e files are typed without the DOM.
  const focused = () => page().evaluate("document.activeElement?.getAttribute('data-testid')");

  it('greets a first launch with every template as a card, no recent documents, and opens the card chosen by keys', async () => {
    await page().getByTestId('start-screen').waitFor();
    expect(await cards().count()).toBe(templates.length);
    const lenet = page().getByTestId('start-template-lenet');
    expect(await lenet.textContent()).toContain('1×28×28 · 61,706 parameters');
    expect(await lenet.textContent()).toContain(templateNotes['lenet']!.says);
    // Its picture: a bar for each of LeNet's ten nodes.
    expect(await lenet.locator('svg rect').count()).toBe(10);
    await expect.poll(() => page().getByTestId('start-no-recent').isVisible()).toBe(true);
    // The family filter keeps that family's cards only.
    await page().getByTestId('start-family-ResNet').click();
    const resnets = Object.values(templateNotes).filter((n) => n.family === 'ResNet').length;
    expect(await cards().count()).toBe(resnets);
    await session.shot('start-resnet-family');
    await page().getByTestId('start-family-all').click();
    // Keyboard: the first card has the focus, arrows move it, Enter opens the template.
    await lenet.focus();
    await page().keyboard.press('ArrowRight');
    expect(await focused()).toBe('start-template-alexnet');
    await session.shot('start');
    await page().keyboard.press('Enter');
    await expect.poll(docName).toBe('AlexNet');
    expect(await page().getByTestId('start-screen').count()).toBe(0);
    await expect.poll(() => page().locator('.react-flow__node').count()).toBe(16);
  });

  it('comes back on Start and goes on Escape; Build your own opens an Input and an Output', async () => {
    await page().getByTestId('start').click();
    await page().getByTestId('start-screen').waitFor();
    await page().keyboard.press('Escape');
    await page().getByTestId('start-screen').waitFor({ state: 'detached' });
    expect(await docName()).toBe('AlexNet');
    await page().keyboard.press('Control+Shift+H');
    await page().getByTestId('start-build').click();
    await expect.poll(docName).toBe('Untitled');
    await expect
      .poll(() => page().locator('.react-flow__node').allTextContents())
      .toEqual([expect.stringContaining('Input'), expect.stringContaining('Output')]);
    expect(await page().getByTestId('start-screen').count()).toBe(0);
  });

  it('reopens the document saved last when the app is opened again, and lists it as recent', async () => {
    await page().getByTestId('start').click();
    await page().getByTestId('start-template-lenet').click();
    await expect.poll(docName).toBe('LeNet');
    await page().keyboard.press('Control+s');
    await page().getByTestId('save-as-name').fill('Kept LeNet');
    await page().getByTestId('confirm-save-as').click();
    await expect.poll(docName).toBe('Kept LeNet');
    await page().reload();
    await expect.poll(docName).toBe('Kept LeNet');
    await expect.poll(() => page().locator('.react-flow__node').count()).toBe(10);
    expect(await page().getByTestId('start-screen').count()).toBe(0);
    await page().getByTestId('start').click();
    await page().getByTestId('start-open-Kept LeNet').waitFor();
    expect(await page().getByTestId('start-no-recent').count()).toBe(0);
    await session.shot('start-recent');
    await page().keyboard.press('Escape');
  });

  it('says why the last document was not reopened, on the start screen, when it no longer reads', async () => {
    writeFileSync(join(session.documents, 'Kept LeNet.blockwise.json'), '{ "format": "blockwise/gra');
    await page().reload();
    await page().getByTestId('start-screen').waitFor();
    await expect
      .poll(() => page().getByTestId('start-error').textContent())
      .toMatch(/^Kept LeNet was not opened: .*not JSON/);
    await session.shot('start-reopen-failed');
    expect(await docName()).toBe('Untitled');
  });

  it('logged no page errors or console errors and warnings on the way', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
