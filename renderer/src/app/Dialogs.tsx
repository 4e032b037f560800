import { acceleratorLabel, editorCommands } from '../../../shared/api/editor-commands.ts';
import { AddDatasetDialog } from '../train/AddDatasetDialog.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { useDialogs } from '../ui/dialog-store.ts';
import { MakeBlockDialog } from './MakeBlockDialog.tsx';
import { SaveAsDialog } from './SaveAsDialog.tsx';
import { SummaryDialog } from './SummaryDialog.tsx';
import { SweepDialog } from '../variants/SweepDialog.tsx';
import { useCompare } from '../compare/compare-store.ts';

const HELP_ROWS = [
  ...editorCommands.flatMap((c) =>
    'accelerator' in c ? [{ keys: acceleratorLabel(c.accelerator), what: c.label }] : [],
  ),
  { keys: 'Ctrl+click, Shift+drag', what: 'Select several nodes' },
  { keys: 'Double-click a block', what: 'Open it; Escape closes it' },
  { keys: 'Enter on a palette item', what: 'Add it to the canvas' },
];

/**
 * The open dialog, at the app's root (never inside a styled bar it would inherit colours from), and above
 * it any question awaiting an answer.
 */
export function Dialogs() {
  const { dialog, show } = useDialogs();
  const close = () => show(null);
  return (
    <>
      {dialog === 'summary' && <SummaryDialog onClose={close} />}
      {dialog === 'saveAs' && <SaveAsDialog onClose={close} />}
      {dialog === 'makeBlock' && <MakeBlockDialog onClose={close} />}
      {dialog === 'addDataset' && <AddDatasetDialog onClose={close} />}
      {dialog === 'sweep' && (
        <SweepDialog onClose={close} onSwept={() => useCompare.setState({ open: true })} />
      )}
      {dialog === 'help' && (
        <div className="overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={close}>
          <table>
            <tbody>
              {HELP_ROWS.map(({ keys, what }) => (
                <tr key={keys}>
                  <td>
                    <kbd>{keys}</kbd>
                  </td>
                  <td>{what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog />
    </>
  );
}
