import { RetryBudget, type RetryBudgetOptions } from './retry-budget';

/** A budget on a clock that moves only when the test moves it. */
function budgetAt(options: RetryBudgetOptions = {}): { budget: RetryBudget; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  return { budget: new RetryBudget({ now: () => clock.now, ...options }), clock };
}

describe('RetryBudget', () => {
  it('starts full at 500 tokens', () => {
    expect(budgetAt().budget.available).toBe(500);
  });

  it('charges 5 per ordinary retry and 10 per timeout or throttle', () => {
    const { budget } = budgetAt();
    budget.tryAcquire('retry');
    budget.tryAcquire('timeout_or_throttle');
    expect(budget.available).toBe(485);
  });

  it('refuses a retry it cannot pay for and spends nothing', () => {
    const budget = budgetAt({ capacity: 12 }).budget;
    expect(budget.tryAcquire('timeout_or_throttle')).toBe(true);
    expect(budget.tryAcquire('retry')).toBe(false);
    expect(budget.available).toBe(2);
  });

  it('refunds 1 per success, never above capacity', () => {
    const budget = budgetAt({ capacity: 10 }).budget;
    budget.tryAcquire('retry');
    budget.recordSuccess();
    expect(budget.available).toBe(6);
    for (let i = 0; i < 10; i += 1) budget.recordSuccess();
    expect(budget.available).toBe(10);
  });

  it('lets 100 ordinary or 50 expensive retries through a full budget, then fails fast', () => {
    const ordinary = budgetAt().budget;
    let granted = 0;
    while (ordinary.tryAcquire('retry')) granted += 1;
    expect(granted).toBe(100);
    const expensive = budgetAt().budget;
    granted = 0;
    while (expensive.tryAcquire('timeout_or_throttle')) granted += 1;
    expect(granted).toBe(50);
  });

  it('refills with time, 10 tokens a second by default, up to its capacity', () => {
    const { budget, clock } = budgetAt();
    let spent = 0;
    while (budget.tryAcquire('timeout_or_throttle')) spent += 1;
    expect([spent, budget.available]).toEqual([50, 0]);
    clock.now += 2_500;
    expect(budget.available).toBe(25);
    expect(budget.tryAcquire('timeout_or_throttle')).toBe(true);
    clock.now += 3_600_000;
    expect(budget.available).toBe(500);
  });
});
