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

  /** Where the sequence stands: a generator given it with `restore` goes on drawing the same numbers. */
  get position(): number {
    return this.state;
  }

  restore(position: number): this {
    this.state = position >>> 0;
    return this;
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

/** The generator `withSeededMathRandom` draws Math.random from, for a seed. */
export const mathRandomFor = (seed: number): SeededRandom => new SeededRandom(seed ^ 0x9e3779b9);

/**
 * Runs f with Math.random drawn from `rng`: tfjs takes dropout masks from Math.random. Synchronous on
 * purpose: nothing else can run (and draw from it) while it is replaced.
 */
export function withSeededMathRandom<T>(rng: SeededRandom, f: () => T): T {
  const original = Math.random;
  Math.random = () => rng.next();
  try {
    return f();
  } finally {
    Math.random = original;
  }
}
