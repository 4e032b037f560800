import { describe, expect, it } from 'vitest';
import { checkedLayoutStorage } from './layout-storage.ts';

function memoryStorage(entries: Record<string, string> = {}) {
  const map = new Map(Object.entries(entries));
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
  };
}

describe('the splitters’ stored positions', () => {
  it('reads back a layout it kept', () => {
    const backing = memoryStorage();
    const storage = checkedLayoutStorage(() => backing);
    storage.setItem('columns', JSON.stringify({ palette: 20, canvas: 55.5, side: 24.5 }));
    expect(JSON.parse(storage.getItem('columns')!)).toEqual({ palette: 20, canvas: 55.5, side: 24.5 });
  });

  it('reads a value cut short, edited by hand or of another shape as nothing kept', () => {
    const storage = checkedLayoutStorage(() =>
      memoryStorage({
        cut: '{"palette": 20, "canv',
        words: '{"palette": "wide"}',
        list: '[20, 80]',
        over: '{"palette": 120}',
        empty: '{}',
      }),
    );
    for (const key of ['cut', 'words', 'list', 'over', 'empty', 'missing'])
      expect(storage.getItem(key), key).toBeNull();
  });

  it('goes on without a storage that refuses to read or write', () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const storage = checkedLayoutStorage(() => refusing);
    expect(storage.getItem('columns')).toBeNull();
    expect(() => storage.setItem('columns', '{"canvas": 100}')).not.toThrow();
  });
});
