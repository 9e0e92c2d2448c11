// "Did you mean": the known names nearest to what was typed.

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions). With `limit`, stops
 * as soon as the distance must exceed it and returns limit + 1: a long typo against thousands of
 * names costs what its length allows, not length times length each.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row[j] = d;
      if (d < best) best = d;
    }
    if (best > limit) return limit + 1;
    [before, previous, row] = [previous, row, before];
  }
  return previous[b.length] > limit ? limit + 1 : previous[b.length];
}

/** Up to `max` candidates: a case-only difference first, then the closest within a third of the length. */
export function nearest(typed: string, candidates: Iterable<string>, max = 3): string[] {
  const lower = typed.toLowerCase();
  const limit = Math.max(1.5, Math.ceil(typed.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    if (name === typed) return [];
    const n = name.toLowerCase();
    const score = n === lower ? 0 : editDistance(lower, n, Math.floor(limit)) + (n.startsWith(lower) || lower.startsWith(n) ? 0 : 0.5);
    if (score <= limit) scored.push({ name, score });
  }
  scored.sort((x, y) => x.score - y.score || (x.name < y.name ? -1 : 1));
  return scored.slice(0, max).map((s) => s.name);
}
