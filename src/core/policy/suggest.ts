/** "Did you mean" for misspelt names, by edit distance. */
import { distance } from 'fastest-levenshtein';

export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  // Only suggest what is plausibly a typo: at most a third of the word, and never more than 3 edits.
  return best !== undefined && bestDistance <= Math.min(3, Math.max(1, Math.floor(word.length / 3))) ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = closestName(word, candidates);
  return best === undefined ? '' : ` Did you mean "${best}"?`;
}
