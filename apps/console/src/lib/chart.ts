/** Ticks of a value axis from 0: a round step (1, 2 or 5 times a power of ten), top tick >= max. */
export function niceTicks(max: number, roughCount = 4): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / roughCount;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? power * 10;
  const stepWhole = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  for (let value = 0; ticks.length === 0 || (ticks[ticks.length - 1] ?? 0) < max; value += stepWhole) {
    ticks.push(value);
  }
  return ticks;
}

/** How full a heat-map cell is drawn: 0 (none) to 4, by its share of the row. */
export function heatLevel(count: number, total: number): 0 | 1 | 2 | 3 | 4 {
  if (count === 0 || total === 0) return 0;
  const share = count / total;
  if (share <= 0.1) return 1;
  if (share <= 0.3) return 2;
  if (share <= 0.6) return 3;
  return 4;
}
