import { RetryBudget } from './retry-budget';

describe('RetryBudget', () => {
  it('starts full at 500 tokens', () => {
    expect(new RetryBudget().available).toBe(500);
  });

  it('charges 5 per ordinary retry and 10 per timeout or throttle', () => {
    const budget = new RetryBudget();
    budget.tryAcquire('retry');
    budget.tryAcquire('timeout_or_throttle');
    expect(budget.available).toBe(485);
  });

  it('refuses a retry it cannot pay for and spends nothing', () => {
    const budget = new RetryBudget({ capacity: 12 });
    expect(budget.tryAcquire('timeout_or_throttle')).toBe(true);
    expect(budget.tryAcquire('retry')).toBe(false);
    expect(budget.available).toBe(2);
  });

  it('refunds 1 per success, never above capacity', () => {
    const budget = new RetryBudget({ capacity: 10 });
    budget.tryAcquire('retry');
    budget.recordSuccess();
    expect(budget.available).toBe(6);
    for (let i = 0; i < 10; i += 1) budget.recordSuccess();
    expect(budget.available).toBe(10);
  });

  it('lets 100 ordinary or 50 expensive retries through a full budget, then fails fast', () => {
    const ordinary = new RetryBudget();
    let granted = 0;
    while (ordinary.tryAcquire('retry')) granted += 1;
    expect(granted).toBe(100);
    const expensive = new RetryBudget();
    granted = 0;
    while (expensive.tryAcquire('timeout_or_throttle')) granted += 1;
    expect(granted).toBe(50);
  });
});
