/**
 * Writes shared/export/pytorch/train-py.ts from train.py beside it. The exported train.py is one static
 * Python file (it reads recipe.json and network.json), kept in the repository as Python; shared/ runs in
 * browsers and workers, which read no files, so it travels as a string module made from that file. A test
 * fails when the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

const folder = fileURLToPath(new URL('../shared/export/pytorch/', import.meta.url));
const target = `${folder}train-py.ts`;
const python = readFileSync(`${folder}train.py`, 'utf8');
const source = `// Made by \`npm run embed:python\` from train.py beside it: edit train.py, then run that.

/** train.py as every PyTorch export ships it, byte for byte. */
export const TRAIN_PY = ${JSON.stringify(python)};
`;
writeFileSync(target, await format(source, { ...(await resolveConfig(target)), filepath: target }));
console.log(`Wrote ${target} (${python.length.toLocaleString('en-US')} characters of Python).`);
