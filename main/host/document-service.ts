import { basename, extname, join } from 'node:path';
import { z } from 'zod';
import {
  recoverySchema,
  type DesignerApi,
  type DocumentState,
  type ExportFormat,
  type ExportRequest,
  type OpenedDocument,
  type Recovery,
  type SaveRequest,
} from '../../shared/api/designer-api.ts';
import { readStateFile, type FileSystem } from '../services/file-system.ts';

export const DOCUMENT_SUFFIX = '.blockwise.json';

/** A file name from a document name (letters, digits, spaces, - and _ only) and a suffix. */
export function safeFileName(name: string, suffix = DOCUMENT_SUFFIX): string {
  const stem = name.replace(/[^A-Za-z0-9 _-]+/g, '-').trim() || 'Untitled';
  return stem.endsWith(suffix) ? stem : `${stem}${suffix}`;
}

/** An export's bytes: text as it is, a PNG decoded from its data URL. */
function exportBytes(request: ExportRequest): Uint8Array | string {
  if (request.format !== 'png') return request.data;
  const base64 = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(request.data)?.[1];
  if (!base64) throw new Error('the PNG export is not a base64 PNG data URL');
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/**
 * Documents, recent files and crash recovery, on an injected file system. The browser-mode host has no
 * native dialogs, so it keeps documents in one folder; Electron passes its dialogs in `choosePath`.
 */
const recentSchema = z.array(z.object({ path: z.string(), name: z.string() })).max(50);

export class DocumentService implements DesignerApi {
  /** Recently used documents, newest first; read from the data folder on first use. */
  private recent: { path: string; name: string }[] | null = null;
  /** What the UI last reported: the desktop app titles its window and guards closing with it. */
  documentState: DocumentState = { name: 'Untitled', unsaved: false };
  onDocumentState: ((state: DocumentState) => void) | null = null;

  constructor(
    private readonly fs: FileSystem,
    private readonly folders: { documents: string; data: string },
    private readonly choosePath: {
      open(): Promise<string | null>;
      /** Where to save a document (format "graph") or an export. */
      save(suggestedName: string, format: ExportFormat | 'graph'): Promise<string | null>;
    } = {
      open: async () => null,
      save: async (name, format) =>
        join(folders.documents, safeFileName(name, format === 'graph' ? DOCUMENT_SUFFIX : `.${format}`)),
    },
  ) {}

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

  /** Only paths it offered (recent, or in the documents folder) are opened by name: a page cannot read others. */
  async openDocument(requested: string | null): Promise<OpenedDocument | null> {
    const offered = (await this.recentDocuments()).some((d) => d.path === requested);
    if (requested !== null && !offered)
      throw new Error(`${requested} is not among the documents Blockwise offered`);
    const path = requested ?? (await this.choosePath.open());
    if (!path) return null;
    const text = await this.fs.readText(path);
    return { ...(await this.remember(path)), text };
  }

  /** Writes atomically (the file system's job), keeping the previous version beside it as `.bak`. */
  async saveDocument(request: SaveRequest): Promise<{ path: string; name: string } | null> {
    const path = request.path ?? (await this.choosePath.save(request.suggestedName, 'graph'));
    if (!path) return null;
    await this.fs.makeDir(this.folders.documents);
    if (await this.fs.exists(path)) await this.fs.writeBytes(`${path}.bak`, await this.fs.readBytes(path));
    await this.fs.writeBytes(path, request.text);
    return await this.remember(path);
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

  async recentDocuments(): Promise<{ path: string; name: string }[]> {
    const folder = (await this.fs.exists(this.folders.documents))
      ? await this.fs.listDir(this.folders.documents)
      : [];
    const saved = folder
      .filter((f) => !f.isDirectory && f.name.endsWith(DOCUMENT_SUFFIX))
      .map((f) => ({ path: join(this.folders.documents, f.name), name: basename(f.name, DOCUMENT_SUFFIX) }));
    const recent = await this.recentList();
    return [...recent, ...saved.filter((s) => !recent.some((r) => r.path === s.path))];
  }

  async writeRecovery(text: string): Promise<void> {
    await this.fs.makeDir(this.folders.data);
    const recovery: Recovery = { text, savedAt: new Date().toISOString() };
    await this.fs.writeBytes(this.recoveryPath, JSON.stringify(recovery));
  }

  readRecovery(): Promise<Recovery | null> {
    // A recovery file cut short by the crash it was meant for reads as nothing to offer.
    return readStateFile(this.fs, this.recoveryPath, recoverySchema);
  }

  async reportDocumentState(state: DocumentState): Promise<void> {
    this.documentState = state;
    this.onDocumentState?.(state);
  }

  async clearRecovery(): Promise<void> {
    if (await this.fs.exists(this.recoveryPath)) await this.fs.writeBytes(this.recoveryPath, 'null');
  }
}
