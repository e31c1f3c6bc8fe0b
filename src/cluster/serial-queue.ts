/**
 * Tasks run one at a time, in the order they are given. A task's failure belongs to whoever awaits that task
 * (`run` rejects with it), never to the tasks after it: they still run, and a chain that once failed leaves no
 * rejected promise behind for a later task to inherit as an unhandled rejection.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Run `task` after every task given before it has settled; settles as the task does. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task given so far has settled, failed ones included. */
  idle(): Promise<unknown> {
    return this.#tail;
  }
}
