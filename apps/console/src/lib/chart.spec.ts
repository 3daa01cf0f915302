import { heatLevel, niceTicks } from './chart';

describe('chart scales', () => {
  it.each([
    [0, [0, 1]],
    [3, [0, 1, 2, 3]],
    [7, [0, 2, 4, 6, 8]],
    [54, [0, 20, 40, 60]],
    [100, [0, 50, 100]],
    [12_345, [0, 5000, 10000, 15000]],
  ])('ticks an axis up to %d as %j', (max, ticks) => {
    expect(niceTicks(max)).toEqual(ticks);
  });

  it('grades heat by share of the row, leaving empty cells blank', () => {
    expect([0, 1, 10, 11, 30, 31, 60, 61, 100].map((count) => heatLevel(count, 100))).toEqual([
      0, 1, 1, 2, 2, 3, 3, 4, 4,
    ]);
    expect(heatLevel(0, 0)).toBe(0);
  });
});
