import { join } from 'node:path';
import { DatasetCatalogue } from '../services/dataset-catalogue.ts';
import { nodeFileSystem, sweepTemporaries } from '../services/file-system.ts';
import { DocumentService, type PathChooser } from './document-service.ts';

/** Where a host keeps things: the user's documents (their datasets in datasets/ there), and its own data. */
export interface HostFolders {
  documents: string;
  data: string;
}

/** The services one host runs on: the dataset catalogue and the document service over the real disk. */
export interface HostServices {
  folders: HostFolders;
  datasets: DatasetCatalogue;
  documents: DocumentService;
}

/**
 * The one composition of a host's services, for the desktop app, browser mode and the end-to-end tests
 * alike: the catalogue reads <documents>/datasets and the list of added folders in the data folder, and
 * the document service uses both folders. `choosePath`: the desktop app's dialogs (browser mode names
 * files in the documents folder); `fashionMnistDir`: another Fashion-MNIST (a test's broken copy).
 */
export function composeHostServices(
  folders: HostFolders,
  options: { choosePath?: PathChooser; fashionMnistDir?: string } = {},
): HostServices {
  const datasets = new DatasetCatalogue(nodeFileSystem, {
    fashionMnistDir: options.fashionMnistDir,
    userFolder: join(folders.documents, 'datasets'),
    addedList: join(folders.data, 'datasets.json'),
  });
  const documents = new DocumentService(nodeFileSystem, folders, options.choosePath, datasets);
  return { folders, datasets, documents };
}

/**
 * What a write cut short by a crash or a kill left (temporary files) swept away at start: in both
 * folders, every runs folder beside a document, and the runs of documents never saved.
 */
export async function sweepHostFolders(folders: HostFolders): Promise<void> {
  const drafts = join(folders.data, DocumentService.DRAFT_RUNS);
  await sweepTemporaries([folders.documents, folders.data, drafts]);
}
