import { ClockOffset } from './clock-offset';

describe('ClockOffset', () => {
  it('starts at zero: the service time is our time', () => {
    expect(new ClockOffset().serverTime(1_000)).toBe(1_000);
  });

  it('applies what it learned to every later reading', () => {
    const offset = new ClockOffset();
    offset.learn(10_000 + 20 * 60_000, 10_000);

    expect(offset.offsetMs).toBe(20 * 60_000);
    expect(offset.serverTime(50_000)).toBe(50_000 + 20 * 60_000);
  });
});
