import { describe, expect, it } from 'vitest';
import { KeyedQueue } from './keyed-queue.ts';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('KeyedQueue', () => {
  it('runs the work of one key in the order asked, a slow first before a quick second; other keys alongside', async () => {
    const queue = new KeyedQueue();
    const done: string[] = [];
    const save = queue.run('document', async () => done.push(await after(40, 'save')));
    const clear = queue.run('document', async () => done.push(await after(1, 'clear recovery')));
    const other = queue.run('elsewhere', async () => done.push(await after(5, 'other key')));
    await Promise.all([save, clear, other]);
    expect(done).toEqual(['other key', 'save', 'clear recovery']);
  });

  it('goes on after a failure, which reaches only its own caller', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('k', () => Promise.reject(new Error('disk full')));
    const next = queue.run('k', async () => 'written');
    await expect(failed).rejects.toThrow('disk full');
    await expect(next).resolves.toBe('written');
  });
});
