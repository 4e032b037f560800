/** A small seeded generator (mulberry32): shuffles, splits and augmentation repeat exactly for a seed. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // Scramble the seed (murmur3's fmix32): mulberry32's first draws are alike for nearby seeds, and the
    // per-epoch seeds are consecutive numbers.
    let h = seed >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    this.state = (h ^ (h >>> 16)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  shuffle(a: Int32Array): Int32Array {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }
}

/** Runs f with Math.random drawn from the seed: tfjs takes dropout masks from Math.random. */
export async function withSeededMathRandom<T>(seed: number, f: () => Promise<T>): Promise<T> {
  const original = Math.random;
  const rng = new SeededRandom(seed ^ 0x9e3779b9);
  Math.random = () => rng.next();
  try {
    return await f();
  } finally {
    Math.random = original;
  }
}
