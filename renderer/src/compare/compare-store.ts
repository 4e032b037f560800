import { create } from 'zustand';
import type { ChartX } from '../../../shared/compare/comparison-chart.ts';
import type { MeasuredSpeed } from '../../../shared/compare/comparison-rows.ts';

/** How the compare view is set: what the table shows, what the chart plots, what it measured. */
export interface CompareState {
  open: boolean;
  /** Activation memory is for a batch of this size. */
  batch: number;
  differencesOnly: boolean;
  hidden: string[];
  sort: { column: string; descending: boolean } | null;
  filter: string;
  chartX: ChartX;
  paretoOnly: boolean;
  /** The runs whose curves are overlaid. */
  curves: string[];
  curveAxis: 'epoch' | 'time';
  /** Inference speeds measured without training, by graph hash (an edited variant is measured again). */
  measured: ReadonlyMap<string, MeasuredSpeed>;
  /** What the speed measurement is doing, or said when it failed. */
  measuring: string | null;
}

export const useCompare = create<CompareState>(() => ({
  open: false,
  batch: 32,
  differencesOnly: false,
  hidden: [],
  sort: null,
  filter: '',
  chartX: 'inference',
  paretoOnly: false,
  curves: [],
  curveAxis: 'epoch',
  measured: new Map(),
  measuring: null,
}));
