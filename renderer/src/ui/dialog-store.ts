import { create } from 'zustand';

export type DialogName = 'help' | 'summary' | 'saveAs' | 'makeBlock' | 'open' | 'addDataset' | 'sweep';

/** Which dialog or menu is open: commands from keys, buttons and the desktop menu all open them here. */
export const useDialogs = create<{ dialog: DialogName | null; show(d: DialogName | null): void }>((set) => ({
  dialog: null,
  show: (dialog) => set({ dialog }),
}));
