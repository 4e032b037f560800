// setTimeout exists wherever the core runs (Node, pages, workers); the core's own types, DOM- and
// Node-free on purpose, do not declare it.
declare function setTimeout(callback: () => void, ms: number): unknown;

/** Lets timers, signals and messages run: an await of a resolved promise yields to microtasks only. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
