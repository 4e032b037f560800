/**
 * Work on one key runs one piece after another, in the order asked; work on different keys runs side by
 * side. The host keys writes by path; the page keys its calls to the host, so that they reach it in the
 * order they were made (two saves, or an autosave and the save that clears it, could overtake each other).
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(work, work);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => this.tails.get(key) === tail && this.tails.delete(key));
    return next;
  }
}
