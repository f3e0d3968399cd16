/**
 * "Did you mean" for a misspelt name (a field, a variable, a connector, an owner, an allowed
 * value), by edit distance. One rule for every message, so a schema error and a policy error
 * suggest alike: letter case is ignored, and only a plausible typo is suggested, at most a third
 * of the word's letters and never more than 3 edits. A far-fetched guess is worse than none: it
 * sends the reader to the wrong name.
 */
import { distance } from 'fastest-levenshtein';

/** The candidate closest to `word`, when it is close enough to be a typo of it. */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.min(3, Math.max(1, Math.floor(word.length / 3))) ? best : undefined;
}

/** ` Did you mean "name"?` (with its leading space), or '' when no candidate is close enough. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = closestName(word, candidates);
  return best === undefined ? '' : ` Did you mean "${best}"?`;
}
