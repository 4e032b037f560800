import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { designerChannels, maxPayloadChars, type DesignerApi } from '../../shared/api/designer-api.ts';
import { callDesigner, type DesignerReply } from '../../shared/api/designer-calls.ts';

export type IpcReply = DesignerReply | { ok: false; error: string; reason: 'foreignSender' | 'tooLarge' };

export interface IpcGateway {
  api: DesignerApi;
  /** Whether a call comes from our own window's main frame, showing our own app:// page. */
  isOwnFrame(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean;
}

/**
 * Every call from the UI passes here: the sender must be our main frame, the arguments small enough and
 * valid for a known channel (the shared schemas). The reply is `{ ok, value | error }`; nothing throws
 * across the boundary.
 */
export async function handleIpcCall(
  gateway: IpcGateway,
  channel: string,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  args: unknown[],
): Promise<IpcReply> {
  if (!gateway.isOwnFrame(event))
    return { ok: false, reason: 'foreignSender', error: `refused ${channel}: not from the Blockwise window` };
  let size: number;
  try {
    size = JSON.stringify(args)?.length ?? 0;
  } catch {
    return { ok: false, reason: 'badPayload', error: `bad payload for ${channel}: not serializable` };
  }
  if (size > maxPayloadChars(channel))
    return { ok: false, reason: 'tooLarge', error: `refused ${channel}: payload too large (${size} chars)` };
  return callDesigner(gateway.api, channel, args);
}

/** What main knows of a frame: enough to tell our window's top frame showing our own page. */
export type SenderFrame = Pick<NonNullable<IpcMainInvokeEvent['senderFrame']>, 'url'> | null;

/**
 * The real sender check: the frame is our window's main frame (not a sub-frame, not another window's) and
 * shows a page of our own origin (not one it was navigated to).
 */
export function isOwnMainFrame(
  senderFrame: SenderFrame,
  window: { webContents: { mainFrame: unknown } } | null,
  ownOrigin: string,
): boolean {
  return (
    senderFrame !== null &&
    window !== null &&
    senderFrame === window.webContents.mainFrame &&
    senderFrame.url.startsWith(`${ownOrigin}/`)
  );
}

/** Registers the DesignerApi's channels, and only those, each through `handleIpcCall`. */
export function registerDesignerIpc(ipc: Pick<IpcMain, 'handle'>, gateway: IpcGateway): void {
  for (const channel of Object.values(designerChannels))
    ipc.handle(channel, (event, ...args: unknown[]) => handleIpcCall(gateway, channel, event, args));
}
