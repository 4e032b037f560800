import { useTraining } from '../training/training-store.ts';

/** The Train panel's place, from the toolbar, its own header, keys and the menu alike. */

/** Opens the panel under the canvas, or closes it (from the whole window too). */
export function toggleTrainPanel(): void {
  useTraining.setState((s) => ({ open: !s.open, fullWindow: false }));
}

/** Puts the panel over the whole window (opening it), or back under the canvas. */
export function toggleTrainFullWindow(): void {
  useTraining.setState((s) => ({ open: true, fullWindow: !(s.open && s.fullWindow) }));
}

/** Brings a panel over the whole window back under the canvas; false when it was not there. */
export function leaveTrainFullWindow(): boolean {
  const { open, fullWindow } = useTraining.getState();
  if (!open || !fullWindow) return false;
  useTraining.setState({ fullWindow: false });
  return true;
}
