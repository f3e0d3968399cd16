/** The queue key of a pull request's work: its events and its re-judging wait for each other under it. */
export function pullRequestKey(ref: { owner: string; repo: string; pullNumber: number }): string {
  return `${ref.owner}/${ref.repo}#${ref.pullNumber}`.toLowerCase();
}

/**
 * Runs the work for one pull request one delivery at a time within this process: a review and a
 * push arriving together would otherwise race to create the explaining comment twice or to
 * publish an older verdict last. Different pull requests run in parallel.
 *
 * `join` is for work that reads everything afresh when it starts (judging a pull request again
 * after its base moved): a request for a key whose joined work is queued and has not started yet
 * shares that work instead of queueing another copy, since that run will see the newer state too.
 * Work queued with `run` is never shared.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly waiting = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget the key once its queue is empty, so the map does not grow with every PR ever seen.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  join<T>(key: string, task: () => Promise<T>): Promise<T> {
    const queued = this.waiting.get(key);
    if (queued) return queued as Promise<T>;
    const result = this.run(key, () => {
      // Started: from now on a new request needs a run of its own.
      this.waiting.delete(key);
      return task();
    });
    this.waiting.set(key, result);
    return result;
  }
}
