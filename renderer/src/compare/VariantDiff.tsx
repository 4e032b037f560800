import type { ComparisonEntry } from '../../../shared/compare/comparison-rows.ts';
import { diffGraphs } from '../../../shared/compare/graph-diff.ts';
import { staticFigures } from '../../../shared/compare/static-figures.ts';
import type { Variant } from '../../../shared/graph/file-format.ts';
import { formatBytes, formatCount, formatFlops } from '../../../shared/shapes/quantity-format.ts';
import { useDocument } from '../document/document-store.ts';
import { useVariantDiff } from '../document/variant-diff.ts';
import { useCompare } from './compare-store.ts';

const shown = (v: unknown) => (v === undefined ? '(default)' : JSON.stringify(v));

const signed = (n: number, shown: (v: number) => string) => `${n < 0 ? '−' : '+'}${shown(Math.abs(n))}`;

/** Each side's totals, and how B differs from A. */
function Totals({ a, b, batch }: { a: Variant; b: Variant; batch: number }) {
  const [fa, fb] = [staticFigures(a.graph, batch), staticFigures(b.graph, batch)];
  const side = (v: Variant, f: typeof fa) =>
    `${v.name}: ${f.ok ? `${formatCount(f.value.trainable)} trainable, ${formatFlops(f.value.flops)} FLOPs, ${formatBytes(f.value.activationBytes)} activations` : f.error}`;
  return (
    <p className="hint" data-testid="diff-totals">
      {side(a, fa)}
      <br />
      {side(b, fb)}
      {fa.ok && fb.ok && (
        <>
          <br />B − A: {signed(fb.value.trainable - fa.value.trainable, formatCount)} trainable,{' '}
          {signed(fb.value.flops - fa.value.flops, formatFlops)} FLOPs,{' '}
          {signed(fb.value.activationBytes - fa.value.activationBytes, formatBytes)} activations
        </>
      )}
    </p>
  );
}

/** What changed from variant A to B, as a list with each side's totals; the canvas can mark it too. */
/** The last run of each side as it stands: its test accuracy and inference speed, and B − A. */
function RunMetrics(props: { entries: ComparisonEntry[]; a: number; b: number }) {
  const lastRun = (variant: number) =>
    props.entries.filter((e) => e.runId && e.variant === variant).at(-1)?.row ?? null;
  const [ra, rb] = [lastRun(props.a), lastRun(props.b)];
  if (!ra || !rb)
    return <p className="hint">Train both variants to compare their accuracy and speed here.</p>;
  const metric = (key: string, shown: (v: number) => string, signed: (v: number) => string) => {
    const [x, y] = [Number(ra[key]), Number(rb[key])];
    return `${shown(x)} → ${shown(y)} (${signed(y - x)})`;
  };
  const percent = (v: number) => `${(100 * v).toFixed(2)}%`;
  const points = (v: number) => `${v < 0 ? '−' : '+'}${Math.abs(100 * v).toFixed(2)} points`;
  const speed = (v: number) => formatCount(Math.round(v));
  return (
    <p className="hint" data-testid="diff-runs">
      Last runs: test accuracy {metric('testAccuracy', percent, points)}; inference samples/s{' '}
      {metric('inferenceSamplesPerSec', speed, (v) => signed(v, speed))}
    </p>
  );
}

export function VariantDiff({ variants, entries }: { variants: Variant[]; entries: ComparisonEntry[] }) {
  const batch = useCompare((s) => s.batch);
  const { pair: diff, onCanvas } = useVariantDiff();
  const shownVariant = useDocument((s) => s.variant);
  if (variants.length < 2)
    return <p className="hint">Duplicate the design as a variant to diff two of them.</p>;
  const pair = diff ?? { a: 0, b: 1 };
  const [a, b] = [variants[pair.a] ?? variants[0]!, variants[pair.b] ?? variants[1]!];
  const d = diffGraphs(a.graph, b.graph);
  const pick = (side: 'a' | 'b', index: number) =>
    useVariantDiff.setState({ pair: { ...pair, [side]: index } });
  const select = (side: 'a' | 'b') => (
    <select
      value={pair[side]}
      onChange={(e) => pick(side, Number(e.target.value))}
      data-testid={`diff-${side}`}
    >
      {variants.map((v, i) => (
        <option key={i} value={i}>
          {v.name}
        </option>
      ))}
    </select>
  );
  return (
    <div className="variant-diff" data-testid="variant-diff">
      <div className="run-curves-head">
        <strong>Diff</strong> {select('a')} → {select('b')}
        <label className="check">
          <input
            type="checkbox"
            checked={onCanvas}
            onChange={(e) => {
              useVariantDiff.setState({ pair, onCanvas: e.target.checked });
              // The canvas marks B against A: B is what it shows.
              if (e.target.checked && shownVariant !== pair.b) useDocument.getState().showVariant(pair.b);
            }}
            data-testid="diff-on-canvas"
          />
          Mark on the canvas
        </label>
      </div>
      <ul className="diff-list">
        {d.changed.map((c) => (
          <li key={c.id} className="diff-changed">
            changed <b>{c.id}</b>
            {c.type ? ` (${c.type[0]} → ${c.type[1]})` : ''}:{' '}
            {c.params.map((p) => `${p.key} ${shown(p.before)} → ${shown(p.after)}`).join(', ')}
          </li>
        ))}
        {d.added.map((n) => (
          <li key={n.id} className="diff-added">
            added <b>{n.id}</b> ({n.type})
          </li>
        ))}
        {d.removed.map((n) => (
          <li key={n.id} className="diff-removed">
            removed <b>{n.id}</b> ({n.type})
          </li>
        ))}
        {(d.addedEdges.length > 0 || d.removedEdges.length > 0) && (
          <li>
            wires +{d.addedEdges.length} −{d.removedEdges.length}
          </li>
        )}
        {(['added', 'removed', 'changed'] as const).map(
          (k) =>
            d.blocks[k].length > 0 && (
              <li key={k}>
                user blocks {k}: {d.blocks[k].join(', ')}
              </li>
            ),
        )}
        {d.changed.length +
          d.added.length +
          d.removed.length +
          d.addedEdges.length +
          d.removedEdges.length ===
          0 && <li>The two variants are the same design.</li>}
      </ul>
      <Totals a={a} b={b} batch={batch} />
      <RunMetrics entries={entries} a={pair.a} b={pair.b} />
    </div>
  );
}
