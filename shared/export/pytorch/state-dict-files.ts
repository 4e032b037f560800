import { z } from 'zod';
import { failure, success, type Result } from '../../result.ts';
import type { StateEntry } from './state-dict.ts';

const manifestSchema = z.array(
  z.object({
    name: z.string().min(1).max(1000),
    shape: z.array(z.number().int().min(0)).max(8),
    offset: z.number().int().min(0),
  }),
);

/**
 * A state_dict as two plain files (what the converter of .pth files writes, and an exported project keeps):
 * weights.json (each tensor's name, shape and byte offset) and weights.bin (float32, little-endian).
 */
export function readStateDictFiles(manifestText: string, bin: Uint8Array): Result<StateEntry[], string> {
  let json: unknown;
  try {
    json = JSON.parse(manifestText);
  } catch (e) {
    return failure(`its index is not JSON (${(e as Error).message})`);
  }
  const manifest = manifestSchema.safeParse(json);
  if (!manifest.success) return failure('its index is not a list of tensors (name, shape, offset)');
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  const entries: StateEntry[] = [];
  for (const { name, shape, offset } of manifest.data) {
    const count = shape.reduce((n, d) => n * d, 1);
    if (offset + 4 * count > bin.byteLength)
      return failure(`its tensor ${name} runs past the end of the values`);
    const values = Float32Array.from({ length: count }, (_, i) => view.getFloat32(offset + 4 * i, true));
    entries.push({ name, shape, values });
  }
  return success(entries);
}
