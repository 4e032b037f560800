import type { MenuItemConstructorOptions } from 'electron';
import { editorCommands, type EditorCommandId } from '../../shared/api/editor-commands.ts';

const MENUS = ['File', 'Edit', 'Graph', 'View', 'Help'] as const;

/**
 * The native menu, from the editor's command table. Accelerators are shown but not registered: the page
 * handles the keys itself (and leaves them to text fields), so a key never runs a command twice.
 */
export function menuTemplate(
  run: (id: EditorCommandId) => void,
  recent: { path: string; name: string }[],
  openRecent: (path: string) => void,
  /** Whether this is a developer's build: only then does the Help menu offer the developer tools. */
  development = false,
): MenuItemConstructorOptions[] {
  return MENUS.map((menu) => {
    const items: MenuItemConstructorOptions[] = editorCommands
      .filter((c) => c.menu === menu)
      .map((c) => ({
        label: c.label,
        ...('accelerator' in c ? { accelerator: c.accelerator, registerAccelerator: false } : {}),
        click: () => run(c.id),
      }));
    if (menu === 'File') {
      items.splice(2, 0, {
        label: 'Open recent',
        enabled: recent.length > 0,
        submenu: recent.map((r) => ({ label: r.name, toolTip: r.path, click: () => openRecent(r.path) })),
      });
      items.push({ type: 'separator' }, { role: 'quit' });
    }
    if (menu === 'Help')
      items.push({ type: 'separator' }, ...(development ? [{ role: 'toggleDevTools' as const }] : []), {
        role: 'about',
      });
    return { label: menu, submenu: items };
  });
}
