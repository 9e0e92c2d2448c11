// "Did you mean": the known names nearest to what was typed.

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Up to `max` candidates: a case-only difference first, then the closest within a third of the length. */
export function nearest(typed: string, candidates: Iterable<string>, max = 3): string[] {
  const lower = typed.toLowerCase();
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    if (name === typed) return [];
    const n = name.toLowerCase();
    const score = n === lower ? 0 : editDistance(lower, n) + (n.startsWith(lower) || lower.startsWith(n) ? 0 : 0.5);
    if (score <= Math.max(1.5, Math.ceil(typed.length / 3))) scored.push({ name, score });
  }
  scored.sort((x, y) => x.score - y.score || (x.name < y.name ? -1 : 1));
  return scored.slice(0, max).map((s) => s.name);
}
