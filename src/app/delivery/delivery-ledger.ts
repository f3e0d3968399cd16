/**
 * Redelivered webhooks do nothing twice (DESIGN.md invariant 9). GitHub gives every delivery
 * an id (X-GitHub-Delivery) and keeps it when a delivery is redelivered. The ledger claims an
 * id before the work and settles it after: a delivery that was fully handled is skipped when it
 * comes again; one that failed part-way is released, so redelivering it retries.
 *
 * This ledger lives in the process's memory, which is right for one replica. Several replicas
 * behind a load balancer need a shared one (the interface is async for that), e.g. Redis with
 * `SET microapps:delivery:<id> running NX EX 86400` to claim, `SET ... done EX 86400` to finish
 * and `DEL` to release; see docs/github-app.md.
 */
import { DeliveryInProgressError } from '../../core/errors.js';
export interface DeliveryLedger {
  /**
   * 'claimed' when this delivery id is new (now claimed by the caller); 'running' while another
   * delivery of the id is being handled; 'done' once one was handled. (Redis: `SET ... NX`, and
   * when that fails, `GET` says which.)
   */
  claim(id: string): Promise<ClaimResult>;
  /** Marks a claimed delivery done (`handled`) or releases it for a retry. */
  settle(id: string, handled: boolean): Promise<void>;
}

export type ClaimResult = 'claimed' | 'running' | 'done';

export interface MemoryLedgerOptions {
  /** How long a handled delivery is remembered. GitHub lets users redeliver for 3 days. */
  ttlMs?: number;
  /** Upper bound of remembered ids; the oldest are forgotten first. */
  maxEntries?: number;
  now?: () => number;
}

export class MemoryDeliveryLedger implements DeliveryLedger {
  private readonly entries = new Map<string, { state: 'running' | 'done'; expires: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryLedgerOptions = {}) {
    this.ttlMs = options.ttlMs ?? 3 * 24 * 60 * 60 * 1000;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  async claim(id: string): Promise<ClaimResult> {
    const now = this.now();
    const entry = this.entries.get(id);
    if (entry && entry.expires > now) return entry.state;
    this.entries.delete(id);
    this.entries.set(id, { state: 'running', expires: now + this.ttlMs });
    // Maps iterate in insertion order: the first keys are the oldest.
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
    return 'claimed';
  }

  async settle(id: string, handled: boolean): Promise<void> {
    if (handled) this.entries.set(id, { state: 'done', expires: this.now() + this.ttlMs });
    else this.entries.delete(id);
  }
}

/**
 * Runs `work` for a delivery unless it was handled before; settles the delivery as handled when
 * `handled(result)` says so, and releases it otherwise (also when `work` throws, which is rethrown).
 * Throws DeliveryInProgressError when the delivery is being handled right now.
 */
export async function runOnce<T>(
  ledger: DeliveryLedger,
  id: string,
  work: () => Promise<T>,
  handled: (result: T) => boolean,
): Promise<{ duplicate: true } | { duplicate: false; result: T }> {
  const claim = await ledger.claim(id);
  if (claim === 'running') throw new DeliveryInProgressError(id);
  if (claim === 'done') return { duplicate: true };
  let done = false;
  try {
    const result = await work();
    done = handled(result);
    return { duplicate: false, result };
  } finally {
    await ledger.settle(id, done);
  }
}
