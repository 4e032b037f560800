/**
 * The editor's commands with their names and accelerators: one table for the keyboard shortcuts, the help
 * overlay and the desktop app's menu. The renderer says what each one does.
 */
export const editorCommands = [
  // The first screen again: templates, recent documents, "Build your own".
  { id: 'start', label: 'Start screen', menu: 'File', accelerator: 'CmdOrCtrl+Shift+H' },
  { id: 'new', label: 'New', menu: 'File', accelerator: 'CmdOrCtrl+N' },
  { id: 'open', label: 'Open…', menu: 'File', accelerator: 'CmdOrCtrl+O' },
  { id: 'save', label: 'Save', menu: 'File', accelerator: 'CmdOrCtrl+S' },
  { id: 'saveAs', label: 'Save as…', menu: 'File', accelerator: 'CmdOrCtrl+Shift+S' },
  { id: 'exportJson', label: 'Export graph file (JSON)', menu: 'File' },
  { id: 'exportSvg', label: 'Export diagram (SVG)', menu: 'File' },
  { id: 'exportPng', label: 'Export diagram (PNG)', menu: 'File' },
  { id: 'undo', label: 'Undo', menu: 'Edit', accelerator: 'CmdOrCtrl+Z' },
  { id: 'redo', label: 'Redo', menu: 'Edit', accelerator: 'CmdOrCtrl+Shift+Z' },
  { id: 'redoAlt', label: 'Redo', menu: null, accelerator: 'CmdOrCtrl+Y' },
  { id: 'copy', label: 'Copy the selection', menu: 'Edit', accelerator: 'CmdOrCtrl+C' },
  { id: 'paste', label: 'Paste', menu: 'Edit', accelerator: 'CmdOrCtrl+V' },
  { id: 'duplicate', label: 'Duplicate the selection', menu: 'Edit', accelerator: 'CmdOrCtrl+D' },
  { id: 'selectAll', label: 'Select everything', menu: 'Edit', accelerator: 'CmdOrCtrl+A' },
  // Keys only, in no menu: a menu accelerator would take Delete from the text fields too.
  { id: 'delete', label: 'Delete the selection (nodes or wires)', menu: null, accelerator: 'Delete' },
  { id: 'deleteAlt', label: 'Delete the selection (nodes or wires)', menu: null, accelerator: 'Backspace' },
  { id: 'makeBlock', label: 'Make block…', menu: 'Graph' },
  { id: 'tidy', label: 'Tidy layout', menu: 'Graph' },
  { id: 'summary', label: 'Summary', menu: 'Graph' },
  { id: 'duplicateVariant', label: 'Duplicate as variant', menu: 'Graph' },
  { id: 'sweep', label: 'Sweep a parameter…', menu: 'Graph' },
  { id: 'trainPanel', label: 'Train panel', menu: 'View' },
  {
    id: 'trainFullWindow',
    label: 'Train over the whole window, or back',
    menu: 'View',
    accelerator: 'CmdOrCtrl+Shift+F',
  },
  { id: 'compare', label: 'Compare variants and runs', menu: 'View', accelerator: 'CmdOrCtrl+Shift+V' },
  { id: 'shortcuts', label: 'Keyboard shortcuts', menu: 'Help', accelerator: '?' },
] as const satisfies readonly {
  id: string;
  label: string;
  /** The desktop app's menu that lists it; null for an alternative key only. */
  menu: 'File' | 'Edit' | 'Graph' | 'View' | 'Help' | null;
  accelerator?: string;
}[];

export type EditorCommandId = (typeof editorCommands)[number]['id'];
export const editorCommandIds = editorCommands.map((c) => c.id) as [EditorCommandId, ...EditorCommandId[]];

/** An accelerator as a key test: "CmdOrCtrl+Shift+Z" → Ctrl or ⌘, Shift, and "z". */
export function parseAccelerator(accelerator: string): { mod: boolean; shift: boolean; key: string } {
  const parts = accelerator.split('+');
  const key = parts[parts.length - 1]!.toLowerCase();
  return { mod: parts.includes('CmdOrCtrl'), shift: parts.includes('Shift'), key };
}

/** How an accelerator reads in the help overlay: "Ctrl+Shift+Z". */
export const acceleratorLabel = (accelerator: string): string => accelerator.replace('CmdOrCtrl', 'Ctrl');
