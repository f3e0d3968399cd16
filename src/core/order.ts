/**
 * The one order of paths and names in output and in files we write: UTF-16 code units, as
 * JavaScript compares strings and as git orders tree entries (ASCII paths). Never the locale's:
 * the same input must sort the same on every machine.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Entries with a path, in path order. */
export function byPath(a: { readonly path: string }, b: { readonly path: string }): number {
  return compareCodeUnits(a.path, b.path);
}
