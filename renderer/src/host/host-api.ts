import { designerChannels, type DesignerApi } from '../../../shared/api/designer-api.ts';

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

/** Electron's preload puts the same API on window.blockwise; in browser mode it goes over HTTP. */
export const hostApi: DesignerApi =
  (globalThis as { blockwise?: DesignerApi }).blockwise ??
  (Object.fromEntries(
    (Object.keys(designerChannels) as (keyof DesignerApi)[]).map((name) => [name, call(name)]),
  ) as unknown as DesignerApi);
