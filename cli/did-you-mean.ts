// "Did you mean ...?": the known name closest to a mistyped one (edit distance with transpositions, or a prefix).

/** Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`: optimal string alignment distance. */
export function editDistance(a: string, b: string): number {
  // rows[i][j]: distance between the first i characters of a and the first j of b; three rows are enough.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate `input` most likely meant, or undefined: the closest one within max(1, floor(length / 3))
 * edits (case ignored; ties go to the earlier candidate), else the shortest one that `input` (2+ characters)
 * begins ('event' -> 'events'). The input itself is never suggested.
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const typed = input.trim().toLowerCase();
  if (typed === '') return undefined;
  const others = candidates.filter((candidate) => candidate !== input);
  const limit = Math.max(1, Math.floor(typed.length / 3));
  let closest: { candidate: string; distance: number } | undefined;
  for (const candidate of others) {
    const distance = editDistance(typed, candidate.toLowerCase());
    if (distance <= limit && (closest === undefined || distance < closest.distance)) closest = { candidate, distance };
  }
  if (closest !== undefined) return closest.candidate;
  if (typed.length < 2) return undefined;
  const extended = others.filter((candidate) => candidate.toLowerCase().startsWith(typed));
  return extended.reduce<string | undefined>((shortest, c) => (shortest === undefined || c.length < shortest.length ? c : shortest), undefined);
}

/** "did you mean 'all'? " (trailing space included) when there is a suggestion, else '': for `(did you mean 'all'? known jobs: ...)`. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const suggestion = suggest(input, candidates);
  return suggestion === undefined ? '' : `did you mean '${suggestion}'? `;
}
