import { afterAll, beforeAll, describe } from 'vitest';
import { buildingScenarios } from './building-scenarios.ts';
import { startDesigner, type DesignerSession } from './designer-session.ts';

describe('building a network by hand in Chromium (browser mode)', () => {
  let session: DesignerSession;
  beforeAll(async () => void (session = await startDesigner()), 180_000);
  afterAll(() => session?.close());
  buildingScenarios(() => session);
});
