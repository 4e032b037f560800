import type { ReactNode } from 'react';

/** A modal form with a title, Cancel, and one submit button: the frame of every dialog that asks. */
export function FormDialog(props: {
  label: string;
  title: ReactNode;
  submit: string;
  submitDisabled?: boolean;
  submitTestId: string;
  onSubmit(): void;
  onClose(): void;
  children: ReactNode;
}) {
  return (
    <div className="overlay" role="dialog" aria-label={props.label}>
      <form
        className="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        <h2>{props.title}</h2>
        {props.children}
        <div className="dialog-buttons">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={props.submitDisabled} data-testid={props.submitTestId}>
            {props.submit}
          </button>
        </div>
      </form>
    </div>
  );
}
