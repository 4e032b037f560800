import { compileGraph } from '../../compile/compile-graph.ts';
import { parseDesignFile } from '../../blocks/design-file.ts';
import { failure, type Result } from '../../result.ts';
import { parseRunRecordText } from '../../train/run-record.ts';
import { transferWeights } from '../../train/transfer.ts';
import type { ExportRefusal } from './model-code.ts';
import { pytorchProject, type ProjectFiles } from './project.ts';

/** A kept run's files, as the CLI reads them from its folder and the app through the host. */
export interface RunFiles {
  graphText: string;
  runJson: string;
  modelJson: string;
  weights: Uint8Array;
}

const refused = (message: string): Result<never, ExportRefusal> => failure({ nodeId: null, message });

/**
 * The PyTorch project of a kept run: its own graph (the one its weights were trained for), its recipe,
 * and its weights, with verify.py. Needs a tfjs backend (it runs the model once for verify.py).
 */
export function pytorchProjectOfRun(run: RunFiles): Result<ProjectFiles, ExportRefusal> {
  const file = parseDesignFile(run.graphText);
  if (!file.ok) return refused(`the run's graph.blockwise.json: ${file.error.message}`);
  const record = parseRunRecordText(run.runJson);
  if (!record.ok) return refused(`the run's run.json: ${record.error}`);
  const compiled = compileGraph(file.value.graph);
  if (!compiled.ok) return refused(compiled.error.message);
  try {
    const took = new Set(
      transferWeights(compiled.value, { modelJson: run.modelJson, weightsBin: run.weights }),
    );
    const untrained = compiled.value.model.layers.find((l) => l.weights.length > 0 && !took.has(l.name));
    if (untrained) return refused(`the run's weights do not fit its graph (layer ${untrained.name})`);
    return pytorchProject({
      graph: file.value.graph,
      name: file.value.meta.name,
      recipe: record.value.config,
      trained: compiled.value,
    });
  } finally {
    compiled.value.model.dispose();
  }
}
