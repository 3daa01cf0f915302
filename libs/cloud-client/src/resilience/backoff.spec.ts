import { DEFAULT_BACKOFF, retryDelayMs } from './backoff';

describe('retryDelayMs', () => {
  it('draws full jitter below base × 2^attempts', () => {
    expect(retryDelayMs(DEFAULT_BACKOFF, 1, false, () => 0.5, null)).toBe(200);
    expect(retryDelayMs(DEFAULT_BACKOFF, 2, false, () => 0.5, null)).toBe(400);
    expect(retryDelayMs(DEFAULT_BACKOFF, 2, false, () => 0, null)).toBe(0);
    expect(retryDelayMs(DEFAULT_BACKOFF, 2, false, () => 0.999, null)).toBe(799);
  });

  it('uses the 500 ms base after a throttle', () => {
    expect(retryDelayMs(DEFAULT_BACKOFF, 1, true, () => 0.5, null)).toBe(500);
  });

  it('caps the ceiling at 20 s however many attempts were made', () => {
    expect(retryDelayMs(DEFAULT_BACKOFF, 30, false, () => 0.5, null)).toBe(10_000);
  });

  it('waits as long as the service asked, up to the cap', () => {
    expect(retryDelayMs(DEFAULT_BACKOFF, 1, true, () => 0.5, 1234)).toBe(1234);
    expect(retryDelayMs(DEFAULT_BACKOFF, 1, true, () => 0.5, 60_000)).toBe(20_000);
  });
});
