import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import { memo } from 'react';
import { formatBytes, formatCount, formatFlops } from '../../../shared/shapes/summary-table.ts';
import { formatShape } from '../../../shared/shapes/shape.ts';
import type { LayerNodeData } from './to-flow.ts';

export type LayerFlowNode = Node<LayerNodeData, 'layer'>;

/** Spreads n handles along an edge of the node. */
const spread = (i: number, n: number) => `${((i + 1) * 100) / (n + 1)}%`;

function LayerNodeView({ data, selected }: NodeProps<LayerFlowNode>) {
  const { title, type, summary, inputs, outputs, result, problem, order, isBlock } = data;
  const shape =
    result?.status === 'ok'
      ? [...result.outputs.values()].map((s) => formatShape(s, order)).join(', ')
      : null;
  const className = [
    'layer-node',
    isBlock ? 'block' : '',
    problem ? 'has-problem' : '',
    selected ? 'selected' : '',
  ].join(' ');
  return (
    <div className={className} title={problem ?? undefined} data-testid={`node-${data.id}`}>
      {inputs.map((port, i) => (
        <Handle
          key={port}
          id={port}
          type="target"
          position={Position.Top}
          style={{ left: spread(i, inputs.length) }}
          title={port}
        />
      ))}
      <div className="layer-title">
        {title}
        {title !== type && <span className="layer-type">{type}</span>}
      </div>
      {summary && <div className="layer-summary">{summary}</div>}
      <div className="layer-shape" data-testid={`shape-${data.id}`}>
        {problem ? '⚠ problem' : (shape ?? '…')}
      </div>
      {result?.status === 'ok' && (
        <div className="layer-stats">
          {formatCount(result.params.trainable + result.params.nonTrainable)} params ·{' '}
          {formatFlops(result.flops)} FLOPs · {formatBytes(result.memoryBytes)}
        </div>
      )}
      {outputs.map((port, i) => (
        <Handle
          key={port}
          id={port}
          type="source"
          position={Position.Bottom}
          style={{ left: spread(i, outputs.length) }}
          title={port}
        />
      ))}
    </div>
  );
}

export const LayerNode = memo(LayerNodeView);
