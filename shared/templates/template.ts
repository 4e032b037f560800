import type { Graph } from '../graph/document.ts';

export interface Template {
  id: string;
  title: string;
  description: string;
  /** What the recipe feeds it, C×H×W. */
  input: [number, number, number];
  build(): Graph;
}
