import {
  designerChannels,
  hostEventSchema,
  type DesignerApi,
  type DesignerBridge,
  type HostEvent,
} from '../../shared/api/designer-api.ts';

type Invoke = (channel: string, ...args: unknown[]) => Promise<unknown>;
type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

/**
 * What the preload exposes to the page: one function per DesignerApi call, each an IPC invoke whose
 * `{ ok, value | error }` reply becomes a value or a thrown Error, and `onHostEvent`. Functions only:
 * never ipcRenderer itself.
 */
export function createDesignerBridge(
  invoke: Invoke,
  subscribe: Subscribe,
  eventChannel: string,
): DesignerBridge {
  const calls = Object.fromEntries(
    (Object.keys(designerChannels) as (keyof DesignerApi)[]).map((name) => [
      name,
      async (...args: unknown[]) => {
        const reply = (await invoke(designerChannels[name], ...args)) as {
          ok: boolean;
          value?: unknown;
          error?: string;
        };
        if (!reply?.ok) throw new Error(reply?.error ?? `${name} failed`);
        return reply.value;
      },
    ]),
  ) as unknown as DesignerApi;
  return {
    ...calls,
    onHostEvent: (listener: (event: HostEvent) => void) =>
      subscribe(eventChannel, (payload) => {
        const event = hostEventSchema.safeParse(payload);
        if (event.success) listener(event.data);
      }),
  };
}
