import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Electron is app/'s own dependency (its tools need Node 22.12), so it is looked up from there.
const appPackage = fileURLToPath(new URL('../../app/package.json', import.meta.url));

/**
 * The Electron binary, if this machine has one. The electron npm package (installed by `npm --prefix app ci`)
 * downloads it at install time; where that download cannot run (no network to GitHub, install scripts off),
 * the package is there without it.
 */
export function findElectronBinary(): { ok: true; path: string } | { ok: false; reason: string } {
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) {
    const path = join(override, 'electron');
    return existsSync(path) ? { ok: true, path } : { ok: false, reason: `${path} does not exist` };
  }
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(appPackage).resolve('electron/package.json'));
  } catch {
    return {
      ok: false,
      reason:
        "the desktop app's packages are not installed: `npm --prefix app ci` installs them (Node 22.12 or newer)",
    };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile))
    return {
      ok: false,
      reason: 'the electron package has no binary: its download did not run or could not reach GitHub',
    };
  const path = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(path) ? { ok: true, path } : { ok: false, reason: `${path} is missing` };
}
