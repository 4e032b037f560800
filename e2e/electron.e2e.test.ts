import { afterAll, beforeAll, describe } from 'vitest';
import { findElectronBinary } from '../main/electron/electron-binary.ts';
import { buildingScenarios } from './building-scenarios.ts';
import { designerScenarios } from './designer-scenarios.ts';
import { startElectronDesigner, type DesignerSession } from './designer-session.ts';

// The browser project's scenarios, in the desktop app. Where the electron package has no binary (its
// download cannot run here), the whole project is reported as skipped, with the reason in its name.
const electron = findElectronBinary();
if (!electron.ok) console.warn(`Electron e2e project skipped: no Electron binary (${electron.reason}).`);
const title = electron.ok
  ? 'the desktop app (Electron)'
  : `the desktop app (Electron): skipped, no Electron binary: ${electron.reason}`;

describe.skipIf(!electron.ok)(title, () => {
  let session: DesignerSession;
  beforeAll(async () => {
    if (electron.ok) session = await startElectronDesigner(electron.path);
  }, 180_000);
  afterAll(() => session?.close());
  describe('designer', () => designerScenarios(() => session));
  describe('building', () => buildingScenarios(() => session));
});
