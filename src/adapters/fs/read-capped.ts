import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MAX_FILE_BYTES } from '../../core/parse/limits.js';

/**
 * Reads a file, but never more than one byte past the size cap: the parser then refuses it
 * as too large without a huge file ever being held in memory. Synchronous on purpose: for
 * thousands of small files, blocking reads are several times faster than promise-based ones,
 * and the CLI has nothing else to do meanwhile.
 */
export function readCapped(path: string | Buffer): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    const length = Math.min(size, MAX_FILE_BYTES + 1);
    const buffer = Buffer.allocUnsafeSlow(length);
    let read = 0;
    while (read < length) {
      const bytesRead = readSync(fd, buffer, read, length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
