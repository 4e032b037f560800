import { useConfirm } from './confirm-store.ts';

/** The open question, if any: its choices as buttons, Cancel last. */
export function ConfirmDialog() {
  const { question, settle } = useConfirm();
  if (!question) return null;
  return (
    <div className="overlay" role="alertdialog" aria-label={question.title}>
      <div className="dialog">
        <h2>{question.title}</h2>
        <p>{question.text}</p>
        <div className="dialog-buttons">
          <button type="button" onClick={() => settle(null)} data-testid="confirm-cancel">
            Cancel
          </button>
          {question.choices.map((c, i) => (
            <button
              key={c.id}
              type="button"
              onClick={() => settle(c.id)}
              data-testid={`confirm-${c.id}`}
              autoFocus={i === question.choices.length - 1}
            >
              {c.label}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
