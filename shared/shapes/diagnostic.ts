import type { DiagnosticCode } from '../layers/kind.ts';

/** A problem pinned to the node (and port) that causes it, with a message that says how to fix it. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  code: DiagnosticCode;
  message: string;
  /** The top-level node at fault; absent for problems of the whole graph (no Input, say). */
  nodeId?: string;
  port?: string;
  /** For a problem inside a block instance: the flat id of the inner layer. */
  innerNodeId?: string;
}
