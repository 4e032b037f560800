import { describe, expect, it } from 'vitest';
import { interleaved, median } from './bench-report.ts';
import { PeerProcess } from './peer-process.ts';

describe('interleaved rounds', () => {
  it('runs the peers in turn, round after round, and keeps each peer’s results in order', async () => {
    const calls: string[] = [];
    const counter = (name: string) => {
      let n = 0;
      return async () => {
        calls.push(name);
        return `${name}${n++}`;
      };
    };
    const results = await interleaved(3, { tfjs: counter('tfjs'), torch: counter('torch') });
    expect(calls).toEqual(['tfjs', 'torch', 'tfjs', 'torch', 'tfjs', 'torch']);
    expect(results).toEqual({ tfjs: ['tfjs0', 'tfjs1', 'tfjs2'], torch: ['torch0', 'torch1', 'torch2'] });
  });

  it('takes the middle value, unmoved by one slow round', () => {
    expect(median([5, 1, 900])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(3);
    expect(() => median([])).toThrow(/no values/);
  });
});

describe('a PyTorch peer kept running', () => {
  const conv = { input: [2, 8, 8, 3], kernel: 3, stride: 1, padding: 1, filters: 4 };

  it('answers jobs in the order sent', async () => {
    const peer = PeerProcess.start<object, Record<string, number>>(
      new URL('./conv_peer.py', import.meta.url).pathname,
    )!;
    try {
      const [small, wide] = await Promise.all([peer.run(conv), peer.run({ ...conv, filters: 64 })]);
      for (const times of [small!, wide!])
        expect(Object.keys(times).sort()).toEqual(['filterGrad', 'forward', 'inputGrad']);
      expect(small!.forward).toBeGreaterThan(0);
    } finally {
      peer.close();
    }
  });

  it('refuses the job it died on with what it printed, and every later job', async () => {
    const peer = PeerProcess.start<object, unknown>(new URL('./conv_peer.py', import.meta.url).pathname)!;
    await expect(peer.run({ kernel: 3 })).rejects.toThrow(
      /PyTorch peer stopped \(exit 1\).*KeyError: 'input'/s,
    );
    await expect(peer.run(conv)).rejects.toThrow(/PyTorch peer stopped/);
  });
});
