import { describe, expect, it } from 'vitest';
import { MemoryDeliveryLedger } from '../../../src/app/delivery/delivery-ledger.js';
import { KeyedQueue } from '../../../src/app/delivery/serialize.js';

describe('MemoryDeliveryLedger', () => {
  it('a handled delivery is not handled again; a failed one may be retried', async () => {
    const ledger = new MemoryDeliveryLedger();
    expect(await ledger.claim('a')).toBe('claimed');
    expect(await ledger.claim('a'), 'while running').toBe('running');
    await ledger.settle('a', true);
    expect(await ledger.claim('a'), 'after it was handled').toBe('done');
    expect(await ledger.claim('b')).toBe('claimed');
    await ledger.settle('b', false);
    expect(await ledger.claim('b'), 'released after a failure').toBe('claimed');
  });

  it('forgets ids after their time and beyond its size, oldest first', async () => {
    let now = 0;
    const ledger = new MemoryDeliveryLedger({ ttlMs: 1000, maxEntries: 2, now: () => now });
    await ledger.claim('a');
    await ledger.settle('a', true);
    now = 1001;
    expect(await ledger.claim('a'), 'expired').toBe('claimed');
    await ledger.claim('b');
    await ledger.claim('c');
    expect(await ledger.claim('a'), 'evicted as the oldest').toBe('claimed');
    expect(await ledger.claim('c')).toBe('running');
  });
});

describe('KeyedQueue', () => {
  it("runs one key's tasks one after the other, other keys in parallel, and survives a failure", async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      () =>
        new Promise<string>((resolve, reject) =>
          setTimeout(() => {
            order.push(name);
            if (fail) reject(new Error(name));
            else resolve(name);
          }, ms),
        );
    const a1 = queue.run('pr1', task('a1', 30, true));
    const a2 = queue.run('pr1', task('a2', 1));
    const b1 = queue.run('pr2', task('b1', 10));
    await expect(a1).rejects.toThrow('a1');
    expect(await a2).toBe('a2');
    expect(await b1).toBe('b1');
    expect(order).toEqual(['b1', 'a1', 'a2']);
  });
});

describe('KeyedQueue.join: judging a pull request again', () => {
  /** A task that runs until released, recording when it starts. */
  const held = (name: string, started: string[]) => {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    return {
      release,
      task: async () => {
        started.push(name);
        await done;
        return name;
      },
    };
  };

  it('a request while one is waiting its turn shares it; once that one started, the next waits for a run of its own', async () => {
    const queue = new KeyedQueue();
    const started: string[] = [];
    const event = held('event', started);
    const first = held('first', started);
    const second = held('second', started);
    const third = held('third', started);
    const running = queue.run('pr1', event.task);
    const a = queue.join('pr1', first.task);
    const b = queue.join('pr1', second.task);
    expect(b, 'joined the waiting request').toBe(a);
    event.release();
    await running;
    await Promise.resolve();
    expect(started).toEqual(['event', 'first']);
    const c = queue.join('pr1', third.task);
    expect(c, 'the first has started: a new run').not.toBe(a);
    first.release();
    expect(await a).toBe('first');
    expect(await b).toBe('first');
    third.release();
    expect(await c).toBe('third');
    expect(started, 'second never ran: first covered it').toEqual(['event', 'first', 'third']);
  });

  it('work queued with run is never shared, and other keys do not wait', async () => {
    const queue = new KeyedQueue();
    const started: string[] = [];
    const one = held('one', started);
    const two = held('two', started);
    const other = held('other', started);
    const a = queue.join('pr1', one.task);
    const b = queue.run('pr1', two.task);
    expect(b).not.toBe(a);
    const c = queue.join('pr2', other.task);
    other.release();
    expect(await c).toBe('other');
    one.release();
    two.release();
    expect([await a, await b]).toEqual(['one', 'two']);
  });
});
