// MessageChannel and setTimeout exist wherever the core runs (Node, pages, workers); the core's own types,
// DOM- and Node-free on purpose, do not declare them.
declare function setTimeout(callback: () => void, ms: number): unknown;
interface Port {
  onmessage: (() => void) | null;
  postMessage(message: null): void;
  close(): void;
}
declare const MessageChannel: (new () => { port1: Port; port2: Port }) | undefined;

/**
 * Lets timers, signals and messages run: an await of a resolved promise yields to microtasks only. A
 * message is used where there is one: a zero timeout waits at least 4 ms once timers nest, which per batch
 * of a small network is several per cent of its speed.
 */
export function nextTurn(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      port2.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
