import { afterAll, beforeAll, describe } from 'vitest';
import { designerScenarios } from './designer-scenarios.ts';
import { startDesigner, type DesignerSession } from './designer-session.ts';

describe('the designer in Chromium (browser mode)', () => {
  let session: DesignerSession;
  beforeAll(async () => void (session = await startDesigner()), 180_000);
  afterAll(() => session?.close());
  designerScenarios(() => session);
});
