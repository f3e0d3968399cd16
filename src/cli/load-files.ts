/**
 * Loads (parses and schema-checks) many files. Small sets load on the main thread; large
 * ones are split across worker threads, since parsing YAML is the bulk of a full validate.
 * Workers return plain data; positions are recomputed on demand (ReparsingDocument).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ReparsingDocument } from '../core/parse/reparsing-document.js';
import { loadFile, type LoadedFile } from '../core/registry/load-file.js';
import { roleOf, type FileContents, type FileRole } from '../core/tree.js';

/** Below this many files, starting workers costs more than it saves. */
const PARALLEL_THRESHOLD = 1500;

export interface PlainLoadedFile {
  path: string;
  role: FileRole;
  valid: boolean;
  findings: LoadedFile['findings'];
  value?: unknown;
  parsed: boolean;
  source?: string;
}

export async function loadFiles(contents: FileContents): Promise<LoadedFile[]> {
  const paths = [...contents.keys()].sort();
  const workers = Math.min(availableParallelism(), 4) - 1;
  if (paths.length < PARALLEL_THRESHOLD || workers < 1) {
    return paths.map((p) => loadFile(p, roleOf(p), contents.get(p)!));
  }
  // The main thread takes one share too, while the workers take the others.
  const shares = workers + 1;
  const chunks: string[][] = Array.from({ length: shares }, () => []);
  paths.forEach((p, i) => chunks[i % shares]!.push(p));
  const [own, ...rest] = chunks;
  const fromWorkers = rest.map((chunk) => runWorker(chunk.map((p) => ({ path: p, bytes: contents.get(p)! }))));
  const local = own!.map((p) => loadFile(p, roleOf(p), contents.get(p)!));
  const remote = (await Promise.all(fromWorkers)).flat().map((plain) => revive(plain, contents.get(plain.path)!));
  return [...local, ...remote].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function revive(plain: PlainLoadedFile, bytes: Uint8Array): LoadedFile {
  return {
    path: plain.path,
    role: plain.role,
    valid: plain.valid,
    findings: plain.findings,
    source: plain.source,
    document: plain.parsed ? new ReparsingDocument(plain.path, plain.value, bytes) : undefined,
  };
}

function runWorker(files: Array<{ path: string; bytes: Uint8Array }>): Promise<PlainLoadedFile[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./workers/load-worker.js', import.meta.url), { workerData: files });
    worker.once('message', (result: PlainLoadedFile[]) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`a validation worker stopped with code ${code}`));
    });
  });
}
