import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useEffect } from 'react';
import { formatBytes, formatCount, formatFlops } from '../../../shared/shapes/quantity-format.ts';
import { formatShape } from '../../../shared/shape.ts';
import { fieldWords } from '../../../shared/shapes/receptive-field.ts';
import type { LayerFlowNode } from './to-flow.ts';
import type { PortSides, Side } from '../../../shared/layout/port-sides.ts';
import { useDiffMark } from '../document/variant-diff.ts';
import { useDocument } from '../document/document-store.ts';
import './layer-node.css';

/** Spreads n handles along an edge of the node. */
const spread = (i: number, n: number) => `${((i + 1) * 100) / (n + 1)}%`;

const positions: Record<Side, Position> = {
  top: Position.Top,
  right: Position.Right,
  bottom: Position.Bottom,
  left: Position.Left,
};

/**
 * React Flow keeps where each handle was when it measured the node: when a layout or an edit turns the
 * ports to other sides, it measures again, or wires would leave from where the ports were.
 */
function usePortsMoved(id: string, { inputs, outputs }: PortSides): void {
  const update = useUpdateNodeInternals();
  useEffect(() => update(id), [id, inputs, outputs, update]);
}

/** A row of handles along one side: inputs on the side facing their wires, outputs likewise. */
function Ports({ names, type, side }: { names: readonly string[]; type: 'source' | 'target'; side: Side }) {
  const along = side === 'top' || side === 'bottom' ? 'left' : 'top';
  return names.map((port, i) => (
    <Handle
      key={port}
      id={port}
      type={type}
      position={positions[side]}
      style={{ [along]: spread(i, names.length) }}
      title={port}
    />
  ));
}

/** A block is one node in the flow; its inside is one click away (double-click and Open block work too). */
function OpenBlock({ id }: { id: string }) {
  const openBlock = useDocument((s) => s.openBlock);
  return (
    <button
      className="open-block nodrag"
      title="Open this block to see its inside"
      onClick={(e) => {
        e.stopPropagation();
        openBlock(id);
      }}
      data-testid={`open-${id}`}
    >
      Open ▸
    </button>
  );
}

function LayerNodeView({ data, selected }: NodeProps<LayerFlowNode>) {
  const { title, type, summary, inputs, outputs, result, problem, order, isBlock, field, sides } = data;
  const shape =
    result?.status === 'ok'
      ? [...result.outputs.values()].map((s) => formatShape(s, order)).join(', ')
      : null;
  const mark = useDiffMark(data.id);
  usePortsMoved(data.id, sides);
  const className = [
    'layer-node',
    isBlock ? 'block' : '',
    problem ? 'has-problem' : '',
    selected ? 'selected' : '',
    mark ? `diff-${mark.kind}` : '',
  ].join(' ');
  return (
    <div className={className} title={problem ?? undefined} data-testid={`node-${data.id}`}>
      {mark && (
        <span className="diff-badge" title={mark.text} data-testid={`diff-${data.id}`}>
          {mark.kind}
        </span>
      )}
      <Ports names={inputs} type="target" side={sides.inputs} />
      <div className="layer-title">
        {title}
        {title !== type && <span className="layer-type">{type}</span>}
        {isBlock && <OpenBlock id={data.id} />}
      </div>
      {summary && <div className="layer-summary">{summary}</div>}
      <div className="layer-shape">
        <span data-testid={`shape-${data.id}`}>{problem ? '⚠ problem' : (shape ?? '…')}</span>
        {field?.kind === 'window' && (
          <span
            className="field-badge"
            title={`Receptive field ${fieldWords(field).size} pixels of the input, jump ${fieldWords(field).jump}`}
            data-testid={`field-${data.id}`}
          >
            RF {field.size[0] === field.size[1] ? field.size[0] : fieldWords(field).size}
          </span>
        )}
      </div>
      {result?.status === 'ok' && (
        <div className="layer-stats">
          {formatCount(result.params.trainable + result.params.nonTrainable)} params ·{' '}
          {formatFlops(result.flops)} FLOPs · {formatBytes(result.memoryBytes)}
        </div>
      )}
      <Ports names={outputs} type="source" side={sides.outputs} />
    </div>
  );
}

/** A block's input or output while the block is open: its name and the shape crossing it. */
function BoundaryNodeView({ data }: NodeProps<LayerFlowNode>) {
  const { title, inputs, outputs, result, problem, order, sides } = data;
  const shape = result?.status === 'ok' ? [...result.outputs.values()][0] : undefined;
  usePortsMoved(data.id, sides);
  return (
    <div
      className={`boundary-node ${problem ? 'has-problem' : ''}`}
      title={problem ?? undefined}
      data-testid={`node-${data.id}`}
    >
      <Ports names={inputs} type="target" side={sides.inputs} />
      <span className="boundary-role">{inputs.length ? 'block output' : 'block input'}</span> {title}
      <span className="layer-shape" data-testid={`shape-${data.id}`}>
        {shape ? formatShape(shape, order) : '…'}
      </span>
      <Ports names={outputs} type="source" side={sides.outputs} />
    </div>
  );
}

export const LayerNode = memo(LayerNodeView);
export const BoundaryNode = memo(BoundaryNodeView);
