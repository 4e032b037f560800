import type { DocumentState } from '../../shared/api/designer-api.ts';

export interface CloseQuestion {
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
}

/** The question asked before closing a window with unsaved work, or null when nothing would be lost. */
export function closeQuestion(state: DocumentState): CloseQuestion | null {
  if (!state.unsaved) return null;
  return {
    message: `“${state.name}” has unsaved changes.`,
    detail:
      'Save them first, or close anyway: the unsaved version stays in the recovery file and is offered the next time Blockwise starts.',
    buttons: ['Save…', 'Close anyway', 'Cancel'],
    defaultId: 0,
    cancelId: 2,
  };
}

/** What the window does with the answer: the index of the button pressed. */
export function closeAnswer(button: number): 'save' | 'close' | 'stay' {
  return button === 0 ? 'save' : button === 1 ? 'close' : 'stay';
}
