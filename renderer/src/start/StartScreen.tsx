import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { stripColours, stripKindLabels, type StripKind } from '../../../shared/export/network-strip.ts';
import { formatCount } from '../../../shared/shapes/quantity-format.ts';
import { starterDesign } from '../../../shared/templates/starter-design.ts';
import {
  seedArticles,
  templateFamilies,
  type TemplateFamily,
} from '../../../shared/templates/template-notes.ts';
import { hostApi } from '../host/host-api.ts';
import { newDocument, openFromHost, openTemplate } from '../document/document-actions.ts';
import { useDocument } from '../document/document-store.ts';
import { CARD_KEYS, cardInDirection } from './card-keys.ts';
import { showStart, useStart } from './start-store.ts';
import { templateCards, type TemplateCard } from './template-cards.ts';
import './start-screen.css';

/** "Build your own": the Input and Output alone, the Input selected so that palette clicks build from it. */
async function buildYourOwn(): Promise<void> {
  const before = useDocument.getState().documentId;
  await newDocument(starterDesign());
  if (useDocument.getState().documentId !== before) useDocument.getState().select(['input']);
}

/** The documents the host offers (recent first), or null while it is asked; an empty list says so. */
function RecentDocuments() {
  const [documents, setDocuments] = useState<{ path: string; name: string }[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    hostApi.recentDocuments().then(setDocuments, (e: Error) => setProblem(e.message));
  }, []);
  return (
    <section className="start-recent" aria-labelledby="start-recent-title">
      <h2 id="start-recent-title">Recent documents</h2>
      {problem && <p className="field-error">Could not list documents: {problem}.</p>}
      {documents?.length === 0 && (
        <p className="start-empty" data-testid="start-no-recent">
          Nothing saved yet. Open a template or build your own; Save keeps it, and it is listed here.
        </p>
      )}
      <ul>
        {documents?.slice(0, 12).map((d) => (
          <li key={d.path}>
            <button
              title={d.path}
              onClick={() => void openFromHost(d.path)}
              data-testid={`start-open-${d.name}`}
            >
              {d.name}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Card({ card }: { card: TemplateCard }) {
  const { template, note } = card;
  return (
    <button
      className="start-card"
      onClick={() => void openTemplate(template)}
      data-card
      data-testid={`start-template-${template.id}`}
    >
      <span className="start-card-title">
        <strong>{template.title}</strong>
        {note && <span className="start-family-tag">{note.family}</span>}
      </span>
      <span className="start-picture" aria-hidden dangerouslySetInnerHTML={{ __html: card.picture }} />
      <span className="start-figures">
        {template.input.join('×')} · {formatCount(card.trainable)} parameters
      </span>
      <span className="start-says">{note?.says ?? template.description}</span>
      {note && (
        <span className="start-article" title={seedArticles[note.article]}>
          The {note.article} article: {seedArticles[note.article]}
        </span>
      )}
    </button>
  );
}

/** Moves the focus between cards with the arrow keys, Home and End. */
function moveBetweenCards(e: KeyboardEvent<HTMLElement>): void {
  if (!CARD_KEYS.has(e.key)) return;
  const cards = [...e.currentTarget.querySelectorAll<HTMLElement>('[data-card]')];
  const from = cards.indexOf(document.activeElement as HTMLElement);
  if (from < 0) return;
  e.preventDefault();
  cards[
    cardInDirection(
      cards.map((c) => c.getBoundingClientRect()),
      from,
      e.key,
    )
  ]?.focus();
}

/** An error the document store holds (the last document did not reopen, a recent one did not open): the
 * notice bar that says it lies under the start screen, so it is said here too. */
function StartError() {
  const notice = useDocument((s) => s.notice);
  const notify = useDocument((s) => s.notify);
  if (notice?.kind !== 'error') return null;
  return (
    <div className="notice error" role="alert" data-testid="start-error">
      {notice.text}
      <button onClick={() => notify(null)} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}

/** The colours of the pictures, named. */
function Legend() {
  return (
    <ul className="start-legend" aria-label="Colours of the pictures">
      {(Object.keys(stripKindLabels) as StripKind[]).map((kind) => (
        <li key={kind}>
          <i style={{ background: stripColours[kind] }} />
          {stripKindLabels[kind]}
        </li>
      ))}
    </ul>
  );
}

/**
 * The first screen: every template as a card (its picture, input, trainable parameters and what its seed
 * article says of it), family by family with a filter, the recent documents, and "Build your own".
 * Opening anything puts it away; so do Close and Escape, back to the design that was open.
 */
export function StartScreen() {
  const shown = useStart((s) => s.shown);
  const [family, setFamily] = useState<TemplateFamily | null>(null);
  const cards = useMemo(() => (shown ? templateCards() : []), [shown]);
  const grid = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (shown) grid.current?.querySelector<HTMLElement>('[data-card]')?.focus();
  }, [shown]);
  if (!shown) return null;
  // Family by family, in the order the networks came; a template with no note yet (template-notes.ts) last.
  const rank = (c: TemplateCard) =>
    c.note ? templateFamilies.indexOf(c.note.family) : templateFamilies.length;
  const shownCards = cards
    .filter((c) => family === null || c.note?.family === family)
    .sort((a, b) => rank(a) - rank(b));
  return (
    <div
      className="start-screen"
      role="dialog"
      aria-modal="true"
      aria-label="Start"
      data-testid="start-screen"
    >
      <header className="start-header">
        <h1>Blockwise</h1>
        <span className="hint">Start from a classic network, a document of yours, or an empty design.</span>
        <button className="start-close" onClick={() => showStart(false)} title="Back to the design (Escape)">
          Close
        </button>
      </header>
      <StartError />
      <div className="start-body">
        <aside className="start-side">
          <button className="start-build" onClick={() => void buildYourOwn()} data-testid="start-build">
            <strong>Build your own</strong>
            <span>An Input and an Output: add layers and blocks between them from the palette.</span>
          </button>
          <RecentDocuments />
        </aside>
        <main className="start-templates" aria-labelledby="start-templates-title">
          <div className="start-templates-bar">
            <h2 id="start-templates-title">Templates</h2>
            <div className="start-families" role="group" aria-label="Family">
              {[null, ...templateFamilies].map((f) => (
                <button
                  key={f ?? 'all'}
                  aria-pressed={family === f}
                  onClick={() => setFamily(f)}
                  data-testid={`start-family-${f ?? 'all'}`}
                >
                  {f ?? 'All'}
                </button>
              ))}
            </div>
          </div>
          <Legend />
          <div ref={grid} className="start-cards" onKeyDown={moveBetweenCards}>
            {shownCards.map((c) => (
              <Card key={c.template.id} card={c} />
            ))}
          </div>
        </main>
      </div>
    </div>
  );
}
