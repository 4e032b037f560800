import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

/**
 * A large JSON request body kept on disk, not in memory: a run's weights arrive as base64 strings of up to
 * 200 MB, and three such bodies held as chunks, one string and the parsed copy took the host from 1.0 to
 * 1.8 GB. The body streams to a file; a scan of it keeps the JSON's small parts and replaces each long
 * string by a placeholder that says where its text lies in the file.
 */

/** Strings longer than this stay in the file. */
const LONG_STRING = 64 * 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Base64 before its last window: no padding yet. */
const BASE64_BODY = /^[A-Za-z0-9+/]*$/;

export class BodyTooLarge extends Error {
  readonly status = 413;
}

/** A long string of the body: where its text lies in the file (between the quotes), as written there. */
export interface SpooledString {
  start: number;
  end: number;
  /** Written with escapes (\n, \u00e9…): read back through JSON.parse, never as raw bytes. */
  escaped: boolean;
}

export interface SpooledBody {
  /** The JSON with each long string replaced by its placeholder. */
  value: unknown;
  /** Each placeholder's string in the file. */
  strings: Map<string, SpooledString>;
  /** A long string's text; its bytes, when it is base64 (null when it is not). */
  text(s: SpooledString): Promise<string>;
  base64Bytes(s: SpooledString): Promise<Uint8Array | null>;
  dispose(): Promise<void>;
}

/** Streams `body` to a temporary file, refusing (BodyTooLarge) past `limit` bytes, and scans it. */
export async function spoolBody(body: AsyncIterable<Buffer>, limit: number): Promise<SpooledBody> {
  const dir = await mkdtemp(join(tmpdir(), 'blockwise-body-'));
  const path = join(dir, 'body.json');
  try {
    let size = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _, done) {
        size += chunk.length;
        done(size > limit ? new BodyTooLarge('payload too large') : null, chunk);
      },
    });
    await pipeline(body, counted, createWriteStream(path));
    return {
      ...(await scan(path)),
      ...reader(path),
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Reads the file once: its JSON without the long strings, and where each of those lies. */
async function scan(path: string): Promise<Pick<SpooledBody, 'value' | 'strings'>> {
  const mark = `\u0000spooled-${randomBytes(8).toString('hex')}-`;
  const strings = new Map<string, SpooledString>();
  const kept: Buffer[] = [];
  // Inside a string: where it began (after its quote), its bytes while short, whether an escape came.
  let inString = false;
  let afterBackslash = false;
  let start = 0;
  let escaped = false;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let offset = 0;
  const file = await open(path);
  try {
    for await (const chunk of file.createReadStream({ highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      let from = 0;
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i]!;
        if (!inString) {
          if (byte === QUOTE) {
            kept.push(chunk.subarray(from, i + 1));
            [inString, start, escaped, pending, pendingBytes, from] = [
              true,
              offset + i + 1,
              false,
              [],
              0,
              i + 1,
            ];
          }
        } else if (afterBackslash) afterBackslash = false;
        else if (byte === BACKSLASH) [afterBackslash, escaped] = [true, true];
        else if (byte === QUOTE) {
          const end = offset + i;
          if (end - start <= LONG_STRING) kept.push(...pending, chunk.subarray(from, i + 1));
          else {
            const id = `${mark}${strings.size}`;
            strings.set(id, { start, end, escaped });
            // Its opening quote is kept: the rest, its NUL escaped, closes it.
            kept.push(Buffer.from(JSON.stringify(id).slice(1)));
          }
          [inString, from] = [false, i + 1];
        }
      }
      if (!inString) kept.push(chunk.subarray(from));
      else if (pendingBytes <= LONG_STRING) {
        // Held until the string ends short; a long one is left in the file.
        pending.push(Buffer.from(chunk.subarray(from)));
        pendingBytes += chunk.length - from;
      }
      offset += chunk.length;
    }
  } finally {
    await file.close();
  }
  if (inString) throw new SyntaxError('the body ends inside a string');
  return { value: JSON.parse(Buffer.concat(kept).toString('utf8')), strings };
}

/** Reads `length` bytes at `start` of a file, a window at a time. */
async function* windows(path: string, start: number, end: number, size: number): AsyncGenerator<Buffer> {
  const file = await open(path);
  try {
    for (let at = start; at < end; at += size) {
      const bytes = Buffer.alloc(Math.min(size, end - at));
      await file.read(bytes, 0, bytes.length, at);
      yield bytes;
    }
  } finally {
    await file.close();
  }
}

/** 4 MiB of base64 at a time: a multiple of 4 characters, so each window decodes on its own. */
const BASE64_WINDOW = 4 << 20;

function reader(path: string): Pick<SpooledBody, 'text' | 'base64Bytes'> {
  return {
    text: async (s) => {
      const parts = [];
      for await (const w of windows(path, s.start, s.end, BASE64_WINDOW)) parts.push(w);
      const raw = Buffer.concat(parts).toString('utf8');
      return s.escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
    },
    // Decoded window by window into one array: the text is never a string in memory.
    base64Bytes: async (s) => {
      const length = s.end - s.start;
      if (s.escaped || length % 4 !== 0) return null;
      const out = new Uint8Array((length / 4) * 3);
      let [written, at] = [0, s.start];
      for await (const w of windows(path, s.start, s.end, BASE64_WINDOW)) {
        const text = w.toString('latin1');
        const last = (at += w.length) === s.end;
        if (!(last ? BASE64 : BASE64_BODY).test(text)) return null;
        written += Buffer.from(text, 'base64').copy(out, written);
      }
      return out.subarray(0, written);
    },
  };
}
