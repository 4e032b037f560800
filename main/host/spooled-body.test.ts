import { describe, expect, it } from 'vitest';
import { BodyTooLarge, spoolBody } from './spooled-body.ts';

/** The text as a request's body, cut into pieces of `size` bytes (a string's quote or escape may fall anywhere). */
async function* pieces(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe('a request body spooled to disk', () => {
  const long = 'A'.repeat(70_000);
  const escaped = 'é "q"\\\n'.repeat(12_000);
  const text = JSON.stringify({ args: [{ small: 'a"b', long, escaped, n: [1, 2] }] });

  it.each([7, 4096, 1 << 20])(
    'keeps small parts, and reads long strings back exact (pieces of %i bytes)',
    async (size) => {
      const body = await spoolBody(pieces(text, size), 10 ** 7);
      try {
        const [value] = (body.value as { args: Record<string, unknown>[] }).args;
        expect(value).toMatchObject({ small: 'a"b', n: [1, 2] });
        expect(body.strings.size).toBe(2);
        const spooled = (key: string) => body.strings.get(value![key] as string)!;
        expect(await body.text(spooled('long'))).toBe(long);
        expect(await body.text(spooled('escaped'))).toBe(escaped);
        expect(await body.base64Bytes(spooled('long'))).toEqual(new Uint8Array(Buffer.from(long, 'base64')));
        expect(await body.base64Bytes(spooled('escaped'))).toBeNull();
      } finally {
        await body.dispose();
      }
    },
  );

  it('refuses a body past its limit, and one cut inside a string', async () => {
    await expect(spoolBody(pieces(text, 4096), 1000)).rejects.toBeInstanceOf(BodyTooLarge);
    await expect(spoolBody(pieces(text.slice(0, 80_000), 4096), 10 ** 7)).rejects.toThrow(/inside a string/);
  });
});
