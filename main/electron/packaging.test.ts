import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { minVersion, satisfies, subset } from 'semver';
import { parse } from 'yaml';
import { APP_DIST, buildApp } from './build-app.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const appRoot = join(repo, 'app');
const config = parse(readFileSync(join(repo, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const readJson = (...path: string[]) =>
  JSON.parse(readFileSync(join(...path), 'utf8')) as Record<string, unknown>;
const appPackage = readJson(appRoot, 'package.json');
const rootPackage = readJson(repo, 'package.json');

/** The packages of a lock file that refuse the oldest Node its package names (npm's EBADENGINE warnings). */
function packagesNeedingAnotherNode(folder: string, node: string): string[] {
  const oldest = minVersion(node)!;
  const lock = readJson(folder, 'package-lock.json') as { packages: Record<string, { engines?: unknown }> };
  return Object.entries(lock.packages).flatMap(([path, entry]) => {
    // Old packages write engines as an array of strings, which npm does not check.
    const wanted = (entry.engines as { node?: string } | undefined)?.node;
    return typeof wanted === 'string' && path !== '' && !satisfies(oldest, wanted)
      ? [`${path} (${wanted})`]
      : [];
  });
}

beforeAll(() => buildApp(), 120_000);

describe('packaging (electron-builder.yml at the top, app/ its root)', () => {
  it('installs nothing that needs another Node than its package names (no EBADENGINE from npm ci)', () => {
    const node = (folder: Record<string, unknown>) => (folder['engines'] as { node: string }).node;
    expect(packagesNeedingAnotherNode(repo, node(rootPackage))).toEqual([]);
    expect(packagesNeedingAnotherNode(appRoot, node(appPackage))).toEqual([]);
    expect(subset(node(appPackage), node(rootPackage)), 'app/ must also run the root').toBe(true);
  });

  it('names the app, its root, and the targets of every platform', () => {
    expect(config).toMatchObject({
      appId: expect.stringMatching(/^[a-z]+(\.[a-z]+)+$/),
      productName: 'Blockwise',
      directories: { buildResources: 'build', output: '../release' },
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

  it('app/ runs electron-builder with the top-level file, app/ as its project and application root', () => {
    expect((appPackage['scripts'] as Record<string, string>)['package']).toBe(
      'electron-builder --projectDir . --config ../electron-builder.yml',
    );
    expect(existsSync(join(appRoot, 'electron-builder.yml')), 'one config, at the top').toBe(false);
  });

  it('app/ is a root with no runtime dependencies, the same version, and its main in app/dist', () => {
    expect(appPackage['dependencies']).toBeUndefined();
    expect(Object.keys(appPackage['devDependencies'] as object).sort()).toEqual([
      'electron',
      'electron-builder',
    ]);
    expect(appPackage['version']).toBe(rootPackage['version']);
    expect(appPackage['main']).toBe('dist/main.cjs');
  });

  it('every file it names exists once the app is built', () => {
    const icons = ['linux', 'mac', 'win'].map((os) => (config[os] as { icon: string }).icon);
    for (const icon of icons) expect(existsSync(join(appRoot, icon)), icon).toBe(true);
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
