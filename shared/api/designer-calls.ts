import { issueWords } from '../schema-words.ts';
import { designerChannels, designerPayloads, type DesignerApi } from './designer-api.ts';

/** The answer to one call across the host boundary, as both hosts send it back. */
export type DesignerReply =
  | { ok: true; value: unknown }
  | {
      ok: false;
      error: string;
      reason: 'unknownChannel' | 'badPayload' | 'refused' | 'notFound' | 'failed';
    };

/** A host's "no" to the page: a path it did not choose or offer, a file it will not touch. */
export class HostRefusal extends Error {
  override readonly name = 'HostRefusal';
}

/** Why a call failed, as the page may hear it: a refusal and a missing file are the page's to fix. */
function failureReason(e: unknown): 'refused' | 'notFound' | 'failed' {
  if (e instanceof HostRefusal) return 'refused';
  return (e as { code?: unknown })?.code === 'ENOENT' ? 'notFound' : 'failed';
}

/** A failure's message; a missing file reads as a sentence, not as errno text. */
function failureMessage(e: unknown): string {
  const error = e as { code?: unknown; path?: unknown; message?: unknown };
  if (error?.code === 'ENOENT') return `${String(error.path ?? 'the file')} does not exist (any more)`;
  return String(error?.message ?? e);
}

const byChannel = new Map<string, keyof DesignerApi>(
  (Object.keys(designerChannels) as (keyof DesignerApi)[]).map((name) => [designerChannels[name], name]),
);

/**
 * One call from the UI: a known channel, arguments checked with the shared schemas, then the API. Never
 * throws: a refusal or a failure becomes a reply the UI can show.
 */
export async function callDesigner(api: DesignerApi, channel: string, args: unknown): Promise<DesignerReply> {
  const name = byChannel.get(channel);
  if (!name) return { ok: false, reason: 'unknownChannel', error: `unknown channel "${channel}"` };
  const parsed = designerPayloads[name].safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // A bound passed is said in words ("at most 255 characters"); any other refusal is the page's own bug.
    const words = issueWords(issue, () => issue.message);
    return { ok: false, reason: 'badPayload', error: `bad payload for ${channel}: ${words}` };
  }
  try {
    const call = api[name] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, value: (await call.apply(api, parsed.data as unknown[])) ?? null };
  } catch (e) {
    return { ok: false, reason: failureReason(e), error: failureMessage(e) };
  }
}
