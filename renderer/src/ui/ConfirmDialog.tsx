import { useConfirm } from './confirm-store.ts';

/** The open question, if any: Cancel, then its choices as buttons; Enter takes the safe one, else Cancel. */
export function ConfirmDialog() {
  const { question, settle } = useConfirm();
  if (!question) return null;
  return (
    <div className="overlay" role="alertdialog" aria-label={question.title}>
      <div className="dialog">
        <h2>{question.title}</h2>
        <p>{question.text}</p>
        <div className="dialog-buttons">
          <button
            type="button"
            onClick={() => settle(null)}
            data-testid="confirm-cancel"
            autoFocus={question.safe === undefined}
          >
            Cancel
          </button>
          {question.choices.map((c) => (
            <button
              key={c.id}
              type="button"
              onClick={() => settle(c.id)}
              data-testid={`confirm-${c.id}`}
              autoFocus={c.id === question.safe}
            >
              {c.label}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
