/**
 * "Did you mean" support for config keys: the known name closest to an unknown one, by edit distance.
 */

/**
 * The candidate closest to `word` (case-insensitive Damerau–Levenshtein distance, `-`/`_` treated alike), if it
 * is at most `maxDistance` edits away (default: 1 for words of up to 4 characters, else 2). Never throws.
 */
export function closestName(word: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/-/g, '_');
  const w = norm(word);
  const limit = maxDistance ?? (w.length <= 4 ? 1 : 2);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, norm(c));
    if (d < bestDistance) (best = c), (bestDistance = d);
  }
  return bestDistance <= limit ? best : undefined;
}

/** Optimal-string-alignment distance (insert, delete, substitute, swap adjacent). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
