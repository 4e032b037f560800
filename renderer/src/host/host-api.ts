import {
  designerChannels,
  type DesignerApi,
  type DesignerBridge,
  type HostEvent,
} from '../../../shared/api/designer-api.ts';

/** The DesignerApi as the browser-mode host serves it: same-origin POSTs, the token travelling as a cookie. */
function call<K extends keyof DesignerApi>(name: K) {
  return async (...args: Parameters<DesignerApi[K]>): Promise<Awaited<ReturnType<DesignerApi[K]>>> => {
    const res = await fetch(`api/${designerChannels[name]}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ args }),
    });
    const reply = (await res.json()) as { ok: boolean; value?: unknown; error?: string };
    if (!reply.ok) throw new Error(reply.error ?? `${name} failed`);
    return reply.value as Awaited<ReturnType<DesignerApi[K]>>;
  };
}

/** The desktop app's preload puts its bridge on window.blockwise; browser mode has none. */
const bridge = (globalThis as { blockwise?: DesignerBridge }).blockwise;

export const isDesktopHost = bridge !== undefined;

export const hostApi: DesignerApi =
  bridge ??
  (Object.fromEntries(
    (Object.keys(designerChannels) as (keyof DesignerApi)[]).map((name) => [name, call(name)]),
  ) as unknown as DesignerApi);

/** Host events (menu commands, files to open) come only from the desktop app; browser mode has none. */
export function onHostEvent(listener: (event: HostEvent) => void): () => void {
  return bridge ? bridge.onHostEvent(listener) : () => undefined;
}
