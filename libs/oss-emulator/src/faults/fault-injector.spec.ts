import { seededRandom } from '../fleet/seeded-random';
import { FaultInjector, type FaultSubject } from './fault-injector';
import type { FaultRule } from './fault.types';
import { thrownCode } from '../testing/thrown';

const SUBJECT: FaultSubject = {
  accountId: '100',
  bucket: 'b1',
  operation: 'GetBucketEncryption',
  region: 'cn-hangzhou',
};
const UNAVAILABLE: FaultRule['fault'] = { kind: 'error', code: 'ServiceUnavailable' };

function injector(rules: FaultRule[], seed = 1): FaultInjector {
  const faults = new FaultInjector(seededRandom(seed));
  faults.set(rules);
  return faults;
}

describe('FaultInjector', () => {
  it('decides nothing without rules', () => {
    expect(injector([]).decide(SUBJECT)).toBeUndefined();
  });

  it('fires a rule whose every given field matches', () => {
    const faults = injector([
      {
        match: { accountId: '100', bucket: 'b1', operation: 'GetBucketEncryption', region: 'cn-hangzhou' },
        fault: UNAVAILABLE,
      },
    ]);
    expect(faults.decide(SUBJECT)).toEqual({ delayMs: 0, terminal: UNAVAILABLE });
  });

  it.each([
    ['accountId', { accountId: '200' }],
    ['bucket', { bucket: 'b2' }],
    ['operation', { operation: 'ListBuckets' as const }],
    ['region', { region: 'cn-beijing' }],
  ])('does not fire when %s differs', (_field, match) => {
    expect(injector([{ match, fault: UNAVAILABLE }]).decide(SUBJECT)).toBeUndefined();
  });

  it('stops a rule after `times` requests and drops it', () => {
    const faults = injector([{ match: {}, fault: UNAVAILABLE, times: 2 }]);
    expect(faults.decide(SUBJECT)?.terminal).toEqual(UNAVAILABLE);
    expect(faults.list()).toEqual([{ rule: { match: {}, fault: UNAVAILABLE, times: 2 }, remaining: 1 }]);
    expect(faults.decide(SUBJECT)?.terminal).toEqual(UNAVAILABLE);
    expect(faults.decide(SUBJECT)).toBeUndefined();
    expect(faults.list()).toEqual([]);
  });

  it('adds latencies and lets a later terminal fault fire too', () => {
    const faults = injector([
      { match: {}, fault: { kind: 'latency', fixedMs: 30 } },
      { match: {}, fault: { kind: 'latency', fixedMs: 20 } },
      { match: {}, fault: { kind: 'reset' } },
    ]);
    expect(faults.decide(SUBJECT)).toEqual({ delayMs: 50, terminal: { kind: 'reset' } });
  });

  it('keeps the first terminal fault when several match', () => {
    const faults = injector([
      { match: {}, fault: { kind: 'hang' } },
      { match: {}, fault: UNAVAILABLE, times: 1 },
    ]);
    expect(faults.decide(SUBJECT)?.terminal).toEqual({ kind: 'hang' });
    expect(faults.list()[1]?.remaining).toBe(1);
  });

  it('rolls probability with the seeded dice: same seed, same outcomes', () => {
    const rules: FaultRule[] = [{ match: {}, fault: UNAVAILABLE, probability: 0.3 }];
    const outcomes = (seed: number) => {
      const faults = injector(rules, seed);
      return Array.from({ length: 200 }, () => faults.decide(SUBJECT) !== undefined);
    };
    const first = outcomes(42);
    expect(outcomes(42)).toEqual(first);
    const fired = first.filter(Boolean).length;
    expect(fired).toBeGreaterThan(30);
    expect(fired).toBeLessThan(90);
  });

  it('draws latency jitter within [fixed, fixed + jitter]', () => {
    const faults = injector([{ match: {}, fault: { kind: 'latency', fixedMs: 100, jitterMs: 50 } }]);
    for (let i = 0; i < 50; i++) {
      const delay = faults.decide(SUBJECT)?.delayMs ?? 0;
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(150);
    }
  });

  it('refuses invalid rules with a code', () => {
    const faults = new FaultInjector(seededRandom(1));
    const code = thrownCode(() => {
      faults.set([{ match: {}, fault: UNAVAILABLE, probability: 2 }]);
    });
    expect(code).toBe('INVALID_FAULT_RULE');
  });
});
