import { create } from 'zustand';

/** One question with its choices; the answer is the chosen choice's id, or null for Cancel and Escape. */
export interface Question {
  title: string;
  text: string;
  choices: { id: string; label: string }[];
  /** The choice that loses nothing, which Enter takes; without one Enter cancels (never replaces or discards). */
  safe?: string;
}

interface ConfirmState {
  question: Question | null;
  answer: ((id: string | null) => void) | null;
  ask(question: Question): Promise<string | null>;
  settle(id: string | null): void;
}

/** Questions that block an action until the user answers (replace unsaved work? replace that file?). */
export const useConfirm = create<ConfirmState>((set, get) => ({
  question: null,
  answer: null,
  ask: (question) =>
    new Promise((resolve) => {
      get().answer?.(null);
      set({ question, answer: resolve });
    }),
  settle: (id) => {
    get().answer?.(id);
    set({ question: null, answer: null });
  },
}));

export const ask = (question: Question): Promise<string | null> => useConfirm.getState().ask(question);
