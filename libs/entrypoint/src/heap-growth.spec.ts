import { boundHeapGrowth, SCAN_HEAP_GROWING_PERCENT } from './heap-growth';

describe('boundHeapGrowth', () => {
  it('bounds the heap growth of a scanning process started without a say on it', () => {
    expect(boundHeapGrowth(['--enable-source-maps'])).toBe(SCAN_HEAP_GROWING_PERCENT);
  });

  it.each([['--heap-growing-percent=200'], ['--heap-growing-percent', '200']])(
    'leaves it to the operator whose command line sets it: %s',
    (...execArgv) => {
      expect(boundHeapGrowth(execArgv)).toBe('command line');
    },
  );
});
