/**
 * Loads (parses and schema-checks) the files a command read. One thread: measured on the
 * 10,000-app benchmark, worker threads made a full validate slower (each starts with cold
 * code and they compete for two cores), since the fast YAML path made parsing cheap.
 */
import { loadFile, type LoadedFile } from '../core/registry/load-file.js';
import { roleOf, type FileContents } from '../core/tree.js';

export function loadFiles(contents: FileContents): LoadedFile[] {
  return [...contents.keys()].sort().map((path) => loadFile(path, roleOf(path), contents.get(path)!));
}
