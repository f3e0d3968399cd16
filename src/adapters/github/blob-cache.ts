/**
 * Blobs the App has already read, kept between deliveries. A blob id names its content, so a
 * cached blob can never be stale; without the cache, every review or push on a large pull
 * request would read every changed file again (5,000 requests for a 5,000-file change), against
 * an installation's hourly rate limit. Only blobs whose bytes were checked against their id are
 * kept, and entries are keyed by repository too, so one repository's answers never serve
 * another's. Bounded by total bytes; the least recently used go first.
 */
export interface BlobCache {
  get(key: string): Uint8Array | undefined;
  set(key: string, bytes: Uint8Array): void;
}

export class MemoryBlobCache implements BlobCache {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

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
