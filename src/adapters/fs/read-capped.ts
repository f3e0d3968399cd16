import { open } from 'node:fs/promises';
import { MAX_FILE_BYTES } from '../../core/parse/parse-document.js';

/**
 * Reads a file, but never more than one byte past the size cap: the parser then refuses it
 * as too large without a huge file ever being held in memory.
 */
export async function readCapped(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, MAX_FILE_BYTES + 1);
    const buffer = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  } finally {
    await handle.close();
  }
}
