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
export interface BlobCache {
  get(key: string): Uint8Array | undefined;
  set(key: string, bytes: Uint8Array): void;
  /**
   * The cached blob, or the download already in flight for `key`, or a new download by
   * `download` (kept when it succeeds; a failure is shared by the waiting callers, not cached).
   */
  load(key: string, download: () => Promise<Uint8Array>): Promise<Uint8Array>;
}

export class MemoryBlobCache implements BlobCache {
  private readonly entries = new Map<string, Uint8Array>();
  private readonly inFlight = new Map<string, Promise<Uint8Array>>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  load(key: string, download: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const hit = this.get(key);
    if (hit) return Promise.resolve(hit);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = download().then((bytes) => {
        this.set(key, bytes);
        return bytes;
      }).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  get(key: string): Uint8Array | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Map order is insertion order: move the hit to the end (most recently used).
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, bytes: Uint8Array): void {
    if (bytes.byteLength > this.maxBytes || this.entries.has(key)) return;
    this.entries.set(key, bytes);
    this.bytes += bytes.byteLength;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.byteLength;
    }
  }

  /** Total bytes held (for tests and logs). */
  get size(): number {
    return this.bytes;
  }
}
