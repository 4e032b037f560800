import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What CommonJS code in the bundle (tfjs's wasm loader) reads as its folder: the bundle's own, in an ES module. */
export const __dirname = dirname(fileURLToPath(import.meta.url));
