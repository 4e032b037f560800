import { basename, dirname, extname, join, sep } from 'node:path';
import { z } from 'zod';
import {
  recoverySchema,
  type ConvertedStateDict,
  type DesignerApi,
  type DocumentState,
  type ExportFormat,
  type ExportRequest,
  type OpenedDocument,
  type Recovery,
  type DatasetOffer,
  type RunFileRequest,
  type RunSummary,
  type SaveRequest,
  type SaveRunRequest,
  type SaveResult,
  type StateDictRequest,
} from '../../shared/api/designer-api.ts';
import { HostRefusal } from '../../shared/api/designer-calls.ts';
import { parseRunRecordText, runStamp } from '../../shared/train/run-record.ts';
import { DatasetCatalogue } from '../services/dataset-catalogue.ts';
import { KeyedQueue } from '../../shared/keyed-queue.ts';
import { readStateFile, type FileSystem } from '../services/file-system.ts';
import { convertStateDictBytes } from '../export/state-dict-file.ts';

export const DOCUMENT_SUFFIX = '.blockwise.json';
const RUNS_SUFFIX = '.runs';

/**
 * The most UTF-8 bytes a name's stem may take: file names hold 255 bytes, and the longest name made from a
 * stem (".<stem>.blockwise.json.bak.blockwise-tmp-<12 hex>", a backup being written) adds 47.
 */
const MAX_STEM_BYTES = 200;

/** The longest start of a text that fits in `bytes` UTF-8 bytes, cut between characters. */
function utf8Prefix(text: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const char of text) {
    used += Buffer.byteLength(char);
    if (used > bytes) break;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * A file name from a document name and a suffix: its letters and digits in any script, spaces, - and _
 * (anything else becomes -), short enough for every file made from it (a 255-character name failed).
 */
export function safeFileName(name: string, suffix = DOCUMENT_SUFFIX): string {
  return `${fileStem(name.endsWith(suffix) ? name.slice(0, -suffix.length) : name)}${suffix}`;
}

/** A name as the start of a file name: see safeFileName. */
export function fileStem(name: string): string {
  const kept = name.normalize('NFC').replace(/[^\p{L}\p{M}\p{N} _-]+/gu, '-');
  return utf8Prefix(kept.trim(), MAX_STEM_BYTES).trim() || 'Untitled';
}

/** A saved document's runs folder: "<document>.runs" beside it. */
const runsFolderBeside = (path: string): string =>
  `${path.slice(0, path.length - extname(path).length).replace(/\.blockwise$/, '')}${RUNS_SUFFIX}`;

/** The data URL types of the binary exports. */
const BINARY_EXPORTS: Partial<Record<ExportFormat, string>> = { png: 'image/png', zip: 'application/zip' };

/** An export's bytes: text as it is, a PNG or a ZIP decoded from its data URL. */
function exportBytes(request: ExportRequest): Uint8Array | string {
  const type = BINARY_EXPORTS[request.format];
  if (!type) return request.data;
  const prefix = `data:${type};base64,`;
  const base64 = request.data.startsWith(prefix) ? request.data.slice(prefix.length) : '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64))
    throw new Error(`the ${request.format.toUpperCase()} export is not a base64 ${type} data URL`);
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/**
 * Browser mode has no dialog: the user types a dataset folder's path. The page is untrusted, so only a
 * folder of the user's own is accepted: one that really lies in their home folder, not in a hidden folder
 * (~/.ssh and the like). The catalogue then serves only the dataset decoded from it, never its files.
 */
async function typedDatasetFolder(fs: FileSystem, home: string, typed: string | null): Promise<string> {
  if (typed === null) throw new HostRefusal('type the path of the dataset folder to add');
  const root = (await fs.realPath(home)) ?? home;
  const real = await fs.realPath(typed);
  const inside = real?.startsWith(root + sep) ? real.slice(root.length + 1).split(sep) : null;
  // One answer for a folder that is missing and one that is out of bounds: the page learns nothing of paths.
  if (!real || !inside || inside.some((part) => part.startsWith('.')))
    throw new HostRefusal(
      `Blockwise adds datasets only from folders in ${root} that exist and are not hidden; ${typed} is not one (move or copy it there)`,
    );
  return real;
}

/** A run to keep, its files' text as it is and their bytes decoded. */
export interface DecodedRun {
  documentPath: string | null;
  draft: string;
  files: Record<string, Uint8Array | string>;
}

const recentSchema = z.array(z.object({ path: z.string(), name: z.string() })).max(50);

/** Where a document or an export goes: a dialog's answer, or (browser mode) a name in the documents folder. */
export interface PathChooser {
  open(): Promise<string | null>;
  /** Where to save a document (format "graph") or an export; null when the user cancels. */
  save(suggestedName: string, format: ExportFormat | 'graph'): Promise<string | null>;
  /** Whether the chooser itself asked before replacing a file (native save dialogs do). */
  readonly asksBeforeReplacing: boolean;
  /**
   * A dataset folder to add: the one the user picks in a dialog (typed is null), or the path they typed
   * where there is no dialog, once checked; null when the user cancels. Refuses what it will not allow.
   */
  datasetFolder(typed: string | null): Promise<string | null>;
}

/**
 * Documents, recent files and crash recovery, on an injected file system. The browser-mode host has no
 * native dialogs, so it keeps documents in one folder; Electron passes its dialogs in `choosePath`.
 *
 * The page is untrusted: it may only name paths the host chose (a dialog) or offered (a recent document,
 * a document in the documents folder that really lies there, symbolic links resolved).
 */
export class DocumentService implements DesignerApi {
  /** Recently used documents, newest first; read from the data folder on first use. */
  private recent: { path: string; name: string }[] | null = null;
  /** What the UI last reported: the desktop app titles its window and guards closing with it. */
  documentState: DocumentState = { name: 'Untitled', unsaved: false };
  onDocumentState: ((state: DocumentState) => void) | null = null;
  /** A save (check, .bak, write) or a recovery write runs whole before the next one of the same file. */
  private readonly saves = new KeyedQueue();

  constructor(
    private readonly fs: FileSystem,
    private readonly folders: { documents: string; data: string },
    private readonly choosePath: PathChooser = {
      open: async () => null,
      save: async (name, format) =>
        join(folders.documents, safeFileName(name, format === 'graph' ? DOCUMENT_SUFFIX : `.${format}`)),
      asksBeforeReplacing: false,
      datasetFolder: (typed) => typedDatasetFolder(fs, dirname(folders.documents), typed),
    },
    /** Where the datasets the app may train on come from; without it, Fashion-MNIST's alone. */
    private readonly datasets: Pick<DatasetCatalogue, 'offered' | 'add' | 'remove'> = new DatasetCatalogue(
      fs,
    ),
  ) {}

  listDatasets(): Promise<DatasetOffer[]> {
    return this.datasets.offered();
  }

  async addDataset(typedPath: string | null): Promise<DatasetOffer | null> {
    const dir = await this.choosePath.datasetFolder(typedPath);
    return dir === null ? null : this.datasets.add(dir);
  }

  removeDataset(id: string): Promise<DatasetOffer[]> {
    return this.datasets.remove(id);
  }

  /** The page's .pth bytes, converted in a temporary file of the host's; a failure is one sentence. */
  async convertStateDict({ fileName, base64 }: StateDictRequest): Promise<ConvertedStateDict> {
    const converted = await convertStateDictBytes(fileName, new Uint8Array(Buffer.from(base64, 'base64')));
    if (!converted.ok) throw new Error(converted.error);
    return converted.value;
  }

  private get recoveryPath(): string {
    return join(this.folders.data, 'recovery.json');
  }

  private get recentPath(): string {
    return join(this.folders.data, 'recent.json');
  }

  private async recentList(): Promise<{ path: string; name: string }[]> {
    this.recent ??= (await readStateFile(this.fs, this.recentPath, recentSchema)) ?? [];
    return this.recent;
  }

  /** Puts a document at the top of the recent list (so it may be opened by path), and keeps the list. */
  async remember(path: string): Promise<{ path: string; name: string }> {
    const entry = { path, name: basename(path, DOCUMENT_SUFFIX) };
    this.recent = [entry, ...(await this.recentList()).filter((r) => r.path !== path)].slice(0, 10);
    await this.fs.makeDir(this.folders.data);
    await this.fs.writeBytes(this.recentPath, JSON.stringify(this.recent));
    return entry;
  }

  /** A path the page sent, checked: it must be one the host offered, or the call is refused. */
  private async offeredPath(requested: string): Promise<string> {
    if (!(await this.recentDocuments()).some((d) => d.path === requested))
      throw new HostRefusal(`${requested} is not among the documents Blockwise offered`);
    return requested;
  }

  /** Only paths it offered (recent, or in the documents folder) are opened by name: a page cannot read others. */
  async openDocument(requested: string | null): Promise<OpenedDocument | null> {
    const path = requested === null ? await this.choosePath.open() : await this.offeredPath(requested);
    if (!path) return null;
    if (requested !== null) await this.notALink(path);
    const text = await this.fs.readText(path);
    return { ...(await this.remember(path)), text };
  }

  /** The head of the recent list, read and kept at the head, when it is still there (see DesignerApi). */
  async lastDocument(): Promise<OpenedDocument | null> {
    const last = (await this.recentList())[0];
    return last && (await this.fs.exists(last.path)) ? this.openDocument(last.path) : null;
  }

  /**
   * Writes atomically (the file system's job: one write per path at a time, permissions kept), keeping the
   * previous version beside it as `.bak`. Save as never replaces an existing document unless asked to.
   */
  async saveDocument(request: SaveRequest): Promise<SaveResult> {
    if (request.path !== null) {
      const path = request.path;
      // Queued before any check, so that saves of one document land in the order they were asked for.
      return this.saves.run(path, async () => this.write(await this.offeredPath(path), request.text));
    }
    const path = await this.choosePath.save(request.suggestedName, 'graph');
    if (!path) return { status: 'cancelled' };
    return this.saves.run(path, async () => {
      const replaceable = request.replace === true || this.choosePath.asksBeforeReplacing;
      const exists = await this.fs.exists(path);
      if (!replaceable && exists) return { status: 'exists', name: basename(path, DOCUMENT_SUFFIX) };
      // Another document replaced: its runs go aside with its .bak; the new design does not take them.
      if (exists && path !== request.from) await this.setRunsAside(path);
      const saved = await this.write(path, request.text);
      if (request.draft) await this.moveDraftRuns(request.draft, runsFolderBeside(path));
      return saved;
    });
  }

  /** The data folder's folder of the runs of documents never saved, one "<draft>.runs" each. */
  static readonly DRAFT_RUNS = 'draft-runs';

  /** Where a never-saved document's runs are kept until its first save: apart, named by its draft key. */
  private draftRunsFolder(draft: string): string {
    return join(this.folders.data, DocumentService.DRAFT_RUNS, `${draft}${RUNS_SUFFIX}`);
  }

  /**
   * A draft's runs, moved beside the document it became: each run written whole there, then let go of
   * here (by copy: the data folder and the document may be on different disks). A run id already there
   * is left where it was rather than replace another run.
   */
  private async moveDraftRuns(draft: string, target: string): Promise<void> {
    const source = await this.notALink(this.draftRunsFolder(draft));
    if (!(await this.fs.exists(source))) return;
    await this.notALink(target);
    await this.fs.makeDir(target);
    for (const run of await this.fs.listDir(source)) {
      const from = join(source, run.name);
      if (
        !run.isDirectory ||
        (await this.fs.exists(join(target, run.name))) ||
        (await this.linkProblem(from))
      )
        continue;
      const files: Record<string, Uint8Array> = {};
      for (const file of await this.fs.listDir(from))
        if (!file.isDirectory)
          files[file.name] = await this.fs.readBytes(await this.notALink(join(from, file.name)));
      await this.fs.replaceFolder(join(target, run.name), files);
      await this.fs.removeFolder(from);
    }
    if ((await this.fs.listDir(source)).length === 0) await this.fs.removeFolder(source);
  }

  /** A replaced document's runs folder, renamed beside it ("<name>.runs.bak-<time>"), when it has one. */
  private async setRunsAside(documentPath: string): Promise<void> {
    const folder = runsFolderBeside(documentPath);
    if (await this.fs.exists(folder)) await this.fs.rename(folder, `${folder}.bak-${runStamp(new Date())}`);
  }

  /** One save: the previous version to `.bak`, then the new text, then the recent list. */
  private async write(path: string, text: string): Promise<SaveResult> {
    await this.fs.makeDir(this.folders.documents);
    await this.notALink(path);
    if (await this.fs.exists(path)) await this.fs.copyFile(path, `${path}.bak`);
    await this.fs.writeBytes(path, text);
    return { status: 'saved', ...(await this.remember(path)) };
  }

  async exportFile(request: ExportRequest): Promise<{ path: string } | null> {
    const bytes = exportBytes(request);
    const chosen = await this.choosePath.save(request.suggestedName, request.format);
    if (!chosen) return null;
    const path = extname(chosen) ? chosen : `${chosen}.${request.format}`;
    await this.fs.makeDir(this.folders.documents);
    await this.fs.writeBytes(path, bytes);
    return { path };
  }

  /**
   * The runs folder of a document: "<document>.runs" beside it, or for a document never saved its draft's
   * (until the first save moves them beside it). A document path must be one the host offered.
   */
  private async runsFolder(documentPath: string | null, draft: string): Promise<string> {
    const folder =
      documentPath === null
        ? this.draftRunsFolder(draft)
        : runsFolderBeside(await this.offeredPath(documentPath));
    return this.notALink(folder);
  }

  /**
   * A path the host is about to use, refused when it is a link (symbolic, or a file with other hard links):
   * a link planted in Blockwise's folders (a recent document, a runs folder, a run) would lead the page
   * out of them. Checked at every use, not once: the link may be made after the path was offered.
   */
  private async notALink(path: string): Promise<string> {
    const problem = await this.linkProblem(path);
    if (problem) throw new HostRefusal(problem);
    return path;
  }

  /** Why a path is a link (see notALink), or null when it is not one. */
  private async linkProblem(path: string): Promise<string | null> {
    const [real, parent] = await Promise.all([this.fs.realPath(path), this.fs.realPath(dirname(path))]);
    // A link to nothing or to itself has no real path: it is a link all the same (raw ENOENT, ELOOP before).
    const linked =
      (await this.fs.entryKind(path))?.kind === 'link' ||
      (real !== null && parent !== null && real !== join(parent, basename(path)));
    return linked || (await this.fs.linkCount(path)) > 1
      ? `${path} is a link; Blockwise follows no links in the folders it keeps`
      : null;
  }

  /** Keeps a run as the CLI does: its own folder, replaced as a whole, named by when it was saved. */
  saveRun(request: SaveRunRequest): Promise<{ id: string; path: string }> {
    const files = Object.fromEntries(
      Object.entries(request.files).map(([name, f]) => [
        name,
        'text' in f ? f.text : new Uint8Array(Buffer.from(f.base64, 'base64')),
      ]),
    );
    return this.keepRun({ ...request, files });
  }

  /** A run's files already decoded (the browser host's run:save reads its body from disk). */
  async keepRun(request: DecodedRun): Promise<{ id: string; path: string }> {
    const folder = await this.runsFolder(request.documentPath, request.draft);
    await this.fs.makeDir(folder);
    const stamp = runStamp(new Date());
    let id = stamp;
    for (let n = 2; await this.fs.exists(join(folder, id)); n++) id = `${stamp}-${n}`;
    await this.fs.replaceFolder(join(folder, id), request.files);
    return { id, path: join(folder, id) };
  }

  async listRuns(documentPath: string | null, draft: string): Promise<RunSummary[]> {
    const folder = await this.runsFolder(documentPath, draft);
    if (!(await this.fs.exists(folder))) return [];
    const runs: RunSummary[] = [];
    for (const entry of await this.fs.listDir(folder)) {
      if (!entry.isDirectory) continue;
      // A folder with no run.json is not a run; one whose run.json does not read is listed with the reason.
      const path = join(folder, entry.name, 'run.json');
      if (!(await this.fs.exists(path))) continue;
      const linked = (await this.linkProblem(join(folder, entry.name))) ?? (await this.linkProblem(path));
      if (linked) {
        runs.push({ id: entry.name, problem: linked });
        continue;
      }
      const record = parseRunRecordText(await this.fs.readText(path).catch(() => ''));
      runs.push(
        record.ok ? { id: entry.name, record: record.value } : { id: entry.name, problem: record.error },
      );
    }
    return runs.sort((a, b) => a.id.localeCompare(b.id));
  }

  async readRunFile(request: RunFileRequest): Promise<{ text: string } | { base64: string }> {
    const folder = await this.runsFolder(request.documentPath, request.draft);
    await this.notALink(join(folder, request.runId));
    const path = await this.notALink(join(folder, request.runId, request.file));
    const bytes = await this.fs.readBytes(path);
    return request.file.endsWith('.bin')
      ? { base64: Buffer.from(bytes).toString('base64') }
      : { text: Buffer.from(bytes).toString('utf8') };
  }

  async recentDocuments(): Promise<{ path: string; name: string }[]> {
    const recent = await this.recentList();
    const saved = (await this.documentsInFolder()).filter((s) => !recent.some((r) => r.path === s.path));
    return [...recent, ...saved];
  }

  /** The documents that really lie in the documents folder: a symbolic link leading out of it is not one. */
  private async documentsInFolder(): Promise<{ path: string; name: string }[]> {
    const folder = await this.fs.realPath(this.folders.documents);
    if (!folder) return [];
    const inside: { path: string; name: string }[] = [];
    for (const f of await this.fs.listDir(this.folders.documents)) {
      if (f.isDirectory || !f.name.endsWith(DOCUMENT_SUFFIX)) continue;
      const path = join(this.folders.documents, f.name);
      const real = await this.fs.realPath(path);
      if (real?.startsWith(folder + sep)) inside.push({ path, name: basename(f.name, DOCUMENT_SUFFIX) });
    }
    return inside;
  }

  writeRecovery(text: string, draft: string): Promise<void> {
    const recovery: Recovery = { text, savedAt: new Date().toISOString(), draft };
    return this.saves.run(this.recoveryPath, async () => {
      await this.fs.makeDir(this.folders.data);
      await this.fs.writeBytes(this.recoveryPath, JSON.stringify(recovery));
    });
  }

  readRecovery(): Promise<Recovery | null> {
    // A recovery file cut short by the crash it was meant for reads as nothing to offer.
    return readStateFile(this.fs, this.recoveryPath, recoverySchema);
  }

  async reportDocumentState(state: DocumentState): Promise<void> {
    this.documentState = state;
    this.onDocumentState?.(state);
  }

  clearRecovery(): Promise<void> {
    return this.saves.run(this.recoveryPath, async () => {
      if (await this.fs.exists(this.recoveryPath)) await this.fs.writeBytes(this.recoveryPath, 'null');
    });
  }
}
