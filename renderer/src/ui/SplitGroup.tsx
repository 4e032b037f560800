import type { ReactNode } from 'react';
import { Group, Separator, useDefaultLayout } from 'react-resizable-panels';
import { layoutStorage } from './layout-storage.ts';
import './split-group.css';

/**
 * Panels side by side or one above the other, with splitters between them whose positions are kept between
 * sessions under `id`; `panelIds` names the panels shown when some come and go (each set keeps its own).
 * Only a drag or a key moves what is kept: the window's own resizing does not.
 */
export function SplitGroup(props: {
  id: string;
  orientation: 'horizontal' | 'vertical';
  panelIds?: string[];
  className?: string;
  children: ReactNode;
}) {
  const { defaultLayout, onLayoutChanged } = useDefaultLayout({
    id: props.id,
    panelIds: props.panelIds,
    storage: layoutStorage,
    onlySaveAfterUserInteractions: true,
  });
  return (
    <Group
      id={props.id}
      orientation={props.orientation}
      defaultLayout={defaultLayout}
      onLayoutChanged={onLayoutChanged}
      className={props.className}
    >
      {props.children}
    </Group>
  );
}

/** The bar between two panels: dragged, or moved with the arrow keys once focused. */
export function Splitter({ label, testId }: { label: string; testId: string }) {
  return <Separator className="splitter" aria-label={label} data-testid={testId} />;
}
