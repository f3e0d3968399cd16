/**
 * Blobs the App has already read, kept between deliveries. A blob id names its content, so a
 * cached blob can never be stale; without the cache, every review or push on a large pull
 * request would read every changed file again (5,000 requests for a 5,000-file change), against
 * an installation's hourly rate limit. Only blobs whose bytes were checked against their id are
 * kept, and entries are keyed by repository too, so one repository's answers never serve
 * another's. Bounded by total bytes; the least recently used go first.
 *
 * Reads are single-flight: while a blob is being downloaded, every other evaluation that wants
 * it awaits the same download (50 concurrent first evaluations of one repository made about
 * 1,450 blob requests for 65 distinct blobs before), so API quota follows distinct content.
 */
import { LRUCache } from 'lru-cache';

export interface BlobCache {
  get(key: string): Uint8Array | undefined;
  set(key: string, bytes: Uint8Array): void;
  /**
   * The cached blob, or the download already in flight for `key`, or a new download by
   * `download` (kept when it succeeds; a failure is shared by the waiting callers, not cached).
   */
  load(key: string, download: () => Promise<Uint8Array>): Promise<Uint8Array>;
}

/** lru-cache with a byte bound (an empty blob counts as 1) and its single-flight `fetch`. */
export class MemoryBlobCache implements BlobCache {
  private readonly cache: LRUCache<string, Uint8Array, () => Promise<Uint8Array>>;

  constructor(maxBytes = 64 * 1024 * 1024) {
    this.cache = new LRUCache({
      maxSize: maxBytes,
      maxEntrySize: maxBytes,
      sizeCalculation: (bytes) => Math.max(1, bytes.byteLength),
      fetchMethod: (_key, _stale, { context }) => context(),
    });
  }

  async load(key: string, download: () => Promise<Uint8Array>): Promise<Uint8Array> {
    // fetch resolves undefined only when aborted, which nothing here does; it rejects on failure.
    return (await this.cache.fetch(key, { context: download }))!;
  }

  get(key: string): Uint8Array | undefined {
    return this.cache.get(key);
  }

  set(key: string, bytes: Uint8Array): void {
    this.cache.set(key, bytes);
  }

  /** Total bytes held (for tests and logs). */
  get size(): number {
    return this.cache.calculatedSize;
  }
}
