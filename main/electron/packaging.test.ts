import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APP_DIST, buildApp } from './build-app.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const config = parse(readFileSync(join(repo, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const appPackage = JSON.parse(readFileSync(join(repo, 'app', 'package.json'), 'utf8')) as Record<
  string,
  unknown
>;
const rootPackage = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as Record<string, unknown>;

beforeAll(() => buildApp(), 120_000);

describe('packaging (electron-builder.yml and app/)', () => {
  it('names the app, its root, and the targets of every platform', () => {
    expect(config).toMatchObject({
      appId: expect.stringMatching(/^[a-z]+(\.[a-z]+)+$/),
      productName: 'Blockwise',
      directories: { app: 'app', buildResources: 'app/build', output: 'release' },
      linux: { target: expect.arrayContaining(['AppImage', 'deb']) },
      mac: { target: ['dmg'] },
      win: { target: ['nsis'] },
      fileAssociations: [expect.objectContaining({ ext: 'blockwise.json', name: 'Blockwise graph' })],
    });
  });

  it('flips the security fuses: no run-as-node, NODE_OPTIONS or --inspect; asar only, integrity checked', () => {
    expect(config['electronFuses']).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config['asar']).toBe(true);
  });

  it('app/ is a root with no runtime dependencies, the same version, and its main in app/dist', () => {
    expect(appPackage['dependencies']).toBeUndefined();
    expect(appPackage['version']).toBe(rootPackage['version']);
    expect(appPackage['main']).toBe('dist/main.cjs');
  });

  it('every file it names exists once the app is built', () => {
    const icons = ['linux', 'mac', 'win'].map((os) => (config[os] as { icon: string }).icon);
    for (const icon of icons) expect(existsSync(join(repo, icon)), icon).toBe(true);
    const appRoot = join(repo, 'app');
    for (const pattern of config['files'] as string[]) {
      const path = join(appRoot, pattern.replace(/\/\*\*\/\*$/, ''));
      expect(existsSync(path), pattern).toBe(true);
      if (pattern.endsWith('/**/*')) expect(readdirSync(path).length, pattern).toBeGreaterThan(0);
    }
    for (const built of ['main.cjs', 'preload.cjs', 'renderer/index.html'])
      expect(existsSync(join(APP_DIST, built)), built).toBe(true);
    expect(existsSync(join(appRoot, appPackage['main'] as string))).toBe(true);
  });

  it('bundles main and preload as CommonJS needing nothing but electron', () => {
    for (const file of ['main.cjs', 'preload.cjs']) {
      const code = readFileSync(join(APP_DIST, file), 'utf8');
      const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);
      const outside = required.filter((r) => r !== 'electron' && !r.startsWith('node:') && !isBuiltin(r));
      expect(outside, file).toEqual([]);
    }
    const preload = readFileSync(join(APP_DIST, 'preload.cjs'), 'utf8');
    expect(preload).toMatch(/contextBridge\.exposeInMainWorld\(\s*"blockwise"/);
  });
});

function isBuiltin(name: string): boolean {
  return ['fs', 'path', 'os', 'url', 'crypto', 'fs/promises', 'module', 'util', 'events'].includes(name);
}
