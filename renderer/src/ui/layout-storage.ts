import type { LayoutStorage } from 'react-resizable-panels';

/** A stored layout as the splitters read it: each panel's share of its group, in percent. */
function isLayout(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const shares = Object.values(value);
  return shares.length > 0 && shares.every((n) => typeof n === 'number' && n >= 0 && n <= 100);
}

/**
 * Where the splitters keep their positions between sessions (this machine's, not the document's): `backing`
 * read through a check. The panels' library parses what it reads unguarded, so a value edited or cut short
 * would stop the window drawing; here it reads as nothing kept and the default sizes come back. A storage
 * that refuses a write (full, or turned off) leaves the sizes as they are for this session.
 */
export function checkedLayoutStorage(backing: () => LayoutStorage): LayoutStorage {
  return {
    getItem(key) {
      try {
        const text = backing().getItem(key);
        return text !== null && isLayout(JSON.parse(text)) ? text : null;
      } catch {
        return null;
      }
    },
    setItem(key, value) {
      try {
        backing().setItem(key, value);
      } catch {
        // Not kept: the sizes hold until the window closes.
      }
    },
  };
}

/** The window's splitter positions, in the page's own storage. */
export const layoutStorage = checkedLayoutStorage(() => localStorage);
