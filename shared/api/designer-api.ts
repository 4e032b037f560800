import { z } from 'zod';
import { RUN_FILE_NAMES } from '../train/run-file-names.ts';
import type { KeptRun } from '../train/run-record.ts';
import { editorCommandIds } from './editor-commands.ts';

/**
 * The contract between the UI and its host (the Electron preload, or the browser-mode HTTP host). The UI
 * never touches files itself: it asks for these. Every payload crossing the boundary is checked with the
 * schemas below, on the host side, before anything is done.
 */

export const MAX_DOCUMENT_CHARS = 50 * 1024 * 1024;

/** A graph file's text and where it lives; `path` is null for a document never saved. */
export const openedDocumentSchema = z.object({
  path: z.string().nullable(),
  name: z.string(),
  text: z.string().max(MAX_DOCUMENT_CHARS),
});
export type OpenedDocument = z.infer<typeof openedDocumentSchema>;

/**
 * Names the runs of a document never saved, which the host keeps apart for it (not by its name: two
 * unsaved "LeNet"s are two documents) until its first save moves them beside it.
 */
export const draftKeySchema = z.string().regex(/^[0-9a-z-]{1,64}$/, 'must be a draft key');

export const saveRequestSchema = z.object({
  /** null: ask where (save as). Otherwise a path the host chose or offered (it refuses any other). */
  path: z.string().max(4096).nullable(),
  suggestedName: z.string().max(255),
  text: z.string().max(MAX_DOCUMENT_CHARS),
  /** Save as: whether an existing document of that name may be replaced (the user said so). */
  replace: z.boolean().optional(),
  /** Save as: where the document was saved before, if anywhere: replacing another keeps its runs apart. */
  from: z.string().max(4096).nullable().optional(),
  /** Save as: the draft whose runs move beside the document, when it had no place before. */
  draft: draftKeySchema.optional(),
});
export type SaveRequest = z.infer<typeof saveRequestSchema>;

/** What a save did: written, not written because the name is taken (ask, then replace), or cancelled. */
export type SaveResult =
  | { status: 'saved'; path: string; name: string }
  | { status: 'exists'; name: string }
  | { status: 'cancelled' };

/** What may be exported: the graph, a diagram, or a project (a PyTorch project as one ZIP). */
export const exportFormats = ['json', 'svg', 'png', 'zip', 'py', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportRequestSchema = z.object({
  suggestedName: z.string().max(255),
  format: z.enum(exportFormats),
  /** JSON or SVG text; a PNG or a ZIP as a base64 data URL. */
  data: z.string().max(MAX_DOCUMENT_CHARS),
});
export type ExportRequest = z.infer<typeof exportRequestSchema>;

/** What the window shows about the open document: its name, and whether closing would lose work. */
export const documentStateSchema = z.object({ name: z.string().max(255), unsaved: z.boolean() });
export type DocumentState = z.infer<typeof documentStateSchema>;

/** What the host tells the UI unprompted: a menu command, or a file to open (from the OS or a second launch). */
export const hostEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command'), id: z.enum(editorCommandIds) }),
  z.object({ kind: z.literal('open'), path: z.string().max(4096) }),
]);
export type HostEvent = z.infer<typeof hostEventSchema>;
export const HOST_EVENT_CHANNEL = 'host:event';

/** A run's files as they cross the host boundary: text as it is, bytes (weights, checkpoint) in base64. */
export const MAX_RUN_CHARS = 200 * 1024 * 1024;
const runFileSchema = z.union([
  z.object({ text: z.string() }),
  z.object({ base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64') }),
]);
export const saveRunRequestSchema = z.object({
  /** The document the run trained (a path the host offered), or null for one never saved: its draft's. */
  documentPath: z.string().max(4096).nullable(),
  draft: draftKeySchema,
  files: z.object(
    Object.fromEntries(RUN_FILE_NAMES.map((f) => [f, runFileSchema])) as Record<
      (typeof RUN_FILE_NAMES)[number],
      typeof runFileSchema
    >,
  ),
});
export type SaveRunRequest = z.infer<typeof saveRunRequestSchema>;

export const runFileRequestSchema = z.object({
  documentPath: z.string().max(4096).nullable(),
  draft: draftKeySchema,
  /** A run's folder name, as listRuns gave it: never a path. */
  runId: z.string().regex(/^[0-9A-Za-z-]{1,64}$/, 'must be a run id'),
  file: z.enum(RUN_FILE_NAMES),
});
export type RunFileRequest = z.infer<typeof runFileRequestSchema>;

/** The file names a PyTorch state_dict is read from. */
export const STATE_DICT_FILE = /\.(pth|pt)$/i;

/** A PyTorch state_dict file (.pth / .pt) the user picked in the page: its name and bytes, base64. */
export const MAX_STATE_DICT_CHARS = MAX_RUN_CHARS;
export const stateDictRequestSchema = z.object({
  fileName: z.string().max(255).regex(STATE_DICT_FILE, 'must name a .pth or .pt file'),
  base64: z
    .string()
    .min(1, 'must not be empty')
    .max(MAX_STATE_DICT_CHARS, 'is too large')
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});
export type StateDictRequest = z.infer<typeof stateDictRequestSchema>;

/** A state_dict as the host converted it: weights.json's index (name, shape, offset) and float32 values, base64. */
export interface ConvertedStateDict {
  index: string;
  base64: string;
}

/** A kept run: its record, or why its run.json cannot be used (listed, so nothing vanishes unsaid). */
export type RunSummary = KeptRun | { id: string; problem: string };

/** Recovered work: the document's text, when it was kept, and its draft (so its runs come back with it). */
export const recoverySchema = z.object({
  text: z.string().max(MAX_DOCUMENT_CHARS),
  savedAt: z.string(),
  draft: draftKeySchema.optional(),
});
export type Recovery = z.infer<typeof recoverySchema>;

export interface DesignerApi {
  /** Opens a graph file: a listed one by path, or (null) one the user picks; null when they cancel. */
  openDocument(path: string | null): Promise<OpenedDocument | null>;
  /** Writes a graph file (asking where when path is null); never replaces another document unasked. */
  saveDocument(request: SaveRequest): Promise<SaveResult>;
  /** Writes an export (the graph as JSON, the diagram as SVG or PNG); returns where, null when cancelled. */
  exportFile(request: ExportRequest): Promise<{ path: string } | null>;
  /** Documents to offer: recently used ones first, then those in the documents folder. */
  recentDocuments(): Promise<{ path: string; name: string }[]>;
  /**
   * The document last opened or saved, read, to reopen at launch: the host decides which (the head of its
   * recent list); null when there is none or it no longer exists.
   */
  lastDocument(): Promise<OpenedDocument | null>;
  /** Autosave: the unsaved document, kept so a crash loses nothing. */
  writeRecovery(text: string, draft: string): Promise<void>;
  readRecovery(): Promise<Recovery | null>;
  clearRecovery(): Promise<void>;
  /** Keeps the host told of the document's name and unsaved state (window title, the prompt on close). */
  reportDocumentState(state: DocumentState): Promise<void>;
  /** Keeps a finished or stopped run in the runs folder beside its document; returns its id and folder. */
  saveRun(request: SaveRunRequest): Promise<{ id: string; path: string }>;
  /** The runs kept beside a document (or for a draft, one never saved), oldest first. */
  listRuns(documentPath: string | null, draft: string): Promise<RunSummary[]>;
  /** One file of a kept run (to continue it or export its weights): text, or bytes in base64. */
  readRunFile(request: RunFileRequest): Promise<{ text: string } | { base64: string }>;
  /** The datasets the app may train on: Fashion-MNIST and the user's own (or why one cannot be used). */
  listDatasets(): Promise<DatasetOffer[]>;
  /**
   * Adds a dataset folder from elsewhere and offers it: picked with the host's dialog (null; the desktop
   * app), or a path the user typed (browser mode, which has no dialog; the host decides which it accepts).
   * Null when the user cancels.
   */
  addDataset(typedPath: string | null): Promise<DatasetOffer | null>;
  /** Stops offering a dataset added from elsewhere (its folder stays as it is); returns the datasets offered. */
  removeDataset(id: string): Promise<DatasetOffer[]>;
  /**
   * Converts a PyTorch state_dict the user picked (PyTorch on the host's python3 reads it, tensors only)
   * into an index and float32 values; rejects with one sentence when it cannot (PyTorch missing: how to
   * install it).
   */
  convertStateDict(request: StateDictRequest): Promise<ConvertedStateDict>;
}

export type DatasetOffer = (
  | {
      id: string;
      name: string;
      shape: [number, number, number];
      classes: string[];
      train: number;
      test: number;
    }
  | { id: string; name: string; problem: string }
) & {
  /** Added from elsewhere by the user, so the user may remove it (one in the datasets folder is moved out). */
  added?: true;
};

/** What the desktop app's preload exposes: the API, and a way to hear host events. */
export interface DesignerBridge extends DesignerApi {
  /** Calls `listener` for each host event; returns the function that stops it. */
  onHostEvent(listener: (event: HostEvent) => void): () => void;
}

/** The channel (IPC) or route (HTTP) name of each DesignerApi function. */
export const designerChannels = {
  openDocument: 'document:open',
  saveDocument: 'document:save',
  recentDocuments: 'document:recent',
  lastDocument: 'document:last',
  exportFile: 'document:export',
  writeRecovery: 'recovery:write',
  readRecovery: 'recovery:read',
  clearRecovery: 'recovery:clear',
  reportDocumentState: 'document:state',
  saveRun: 'run:save',
  listRuns: 'run:list',
  readRunFile: 'run:file',
  listDatasets: 'dataset:list',
  addDataset: 'dataset:add',
  removeDataset: 'dataset:remove',
  convertStateDict: 'statedict:convert',
} as const satisfies Record<keyof DesignerApi, string>;

/** What each function takes, checked by the host. */
export const designerPayloads = {
  openDocument: z.tuple([z.string().max(4096).nullable()]),
  saveDocument: z.tuple([saveRequestSchema]),
  recentDocuments: z.tuple([]),
  lastDocument: z.tuple([]),
  exportFile: z.tuple([exportRequestSchema]),
  writeRecovery: z.tuple([z.string().max(MAX_DOCUMENT_CHARS), draftKeySchema]),
  readRecovery: z.tuple([]),
  clearRecovery: z.tuple([]),
  reportDocumentState: z.tuple([documentStateSchema]),
  saveRun: z.tuple([saveRunRequestSchema]),
  listRuns: z.tuple([z.string().max(4096).nullable(), draftKeySchema]),
  readRunFile: z.tuple([runFileRequestSchema]),
  listDatasets: z.tuple([]),
  addDataset: z.tuple([z.string().min(1).max(4096).nullable()]),
  removeDataset: z.tuple([z.string().min(1).max(256)]),
  convertStateDict: z.tuple([stateDictRequestSchema]),
} as const satisfies Record<keyof DesignerApi, z.ZodType>;

/** The calls that carry weights, larger than any document. */
const weightChannels: readonly string[] = [designerChannels.saveRun, designerChannels.convertStateDict];

/** The most a call's arguments may weigh, serialized: weights are larger than any document. */
export const maxPayloadChars = (channel: string): number =>
  (weightChannels.includes(channel) ? MAX_RUN_CHARS : MAX_DOCUMENT_CHARS) + 1024;
