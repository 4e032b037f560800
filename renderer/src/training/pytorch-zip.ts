import { pytorchProject } from '../../../shared/export/pytorch/project.ts';
import { useDocument } from '../document/document-store.ts';
import { configFor, currentFit } from './design-fit.ts';
import { zipDataUrl } from './zip-data-url.ts';

/**
 * The open design as a PyTorch project (model.py, train.py with the recipe the Train panel sets, README),
 * zipped. A layer PyTorch cannot follow is an error naming its node.
 */
export function designProjectZip(): string {
  const { history, name } = useDocument.getState();
  const graph = history.graph;
  const recipe = configFor(currentFit().resize);
  const project = pytorchProject({ graph, name, recipe });
  if (!project.ok) {
    const at = project.error.nodeId ? ` at ${project.error.nodeId}` : '';
    throw new Error(`the design cannot be written for PyTorch${at}: ${project.error.message}`);
  }
  return zipDataUrl(project.value);
}
