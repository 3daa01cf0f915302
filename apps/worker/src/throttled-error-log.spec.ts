import { ThrottledErrorLog } from './throttled-error-log';

describe('ThrottledErrorLog', () => {
  function setup() {
    let now = 1_000_000;
    const logged: { kind: string; repeats: number; message: string }[] = [];
    const log = new ThrottledErrorLog(
      ({ kind, repeats }, message) => logged.push({ kind, repeats, message }),
      60_000,
      () => now,
    );
    return { log, logged, advance: (ms: number) => (now += ms) };
  }

  it('logs the first error of a kind at once', () => {
    const { log, logged } = setup();
    log.report('renew leases', new Error('connection refused'), 'could not renew');
    expect(logged).toEqual([{ kind: 'renew leases', repeats: 0, message: 'could not renew' }]);
  });

  it('holds back repeats within the period and counts them in the next line', () => {
    const { log, logged, advance } = setup();
    log.report('renew leases', new Error('a'), 'could not renew');
    for (let i = 0; i < 5; i += 1) {
      advance(10_000);
      log.report('renew leases', new Error('a'), 'could not renew');
    }
    expect(logged).toHaveLength(1);
    advance(10_000);
    log.report('renew leases', new Error('a'), 'could not renew');
    expect(logged.at(-1)).toEqual({ kind: 'renew leases', repeats: 5, message: 'could not renew' });
  });

  it('throttles each kind on its own', () => {
    const { log, logged } = setup();
    log.report('renew leases', new Error('a'), 'one');
    log.report('record job outcome', new Error('b'), 'two');
    log.report('renew leases', new Error('a'), 'one again');
    expect(logged.map((line) => line.message)).toEqual(['one', 'two']);
  });
});
