import { failure, type Result } from '../../result.ts';
import { keptRunModel, type RunFiles } from '../../train/kept-run-model.ts';
import type { ExportRefusal } from './model-code.ts';
import { pytorchProject, type ProjectFiles } from './project.ts';

/**
 * The PyTorch project of a kept run: its own graph (the one its weights were trained for), its recipe,
 * and its weights, with verify.py. Needs a tfjs backend (it runs the model once for verify.py).
 */
export function pytorchProjectOfRun(run: RunFiles): Result<ProjectFiles, ExportRefusal> {
  const kept = keptRunModel(run);
  if (!kept.ok) return failure({ nodeId: null, message: kept.error });
  const { file, record, compiled } = kept.value;
  try {
    return pytorchProject({
      graph: file.graph,
      name: file.meta.name,
      recipe: record.config,
      trained: compiled,
    });
  } finally {
    compiled.model.dispose();
  }
}
