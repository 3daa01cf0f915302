import { EmulatorError } from '../emulator-error';
import { describeIssues, faultRulesSchema } from '../fleet/fleet.schema';
import type { OperationName } from '../fleet/fleet.types';
import type { RandomSource } from '../fleet/seeded-random';
import type { Fault, FaultRule } from './fault.types';

/** What a request is, for rule matching. */
export interface FaultSubject {
  readonly accountId: string | undefined;
  readonly bucket: string | undefined;
  readonly operation: OperationName;
  readonly region: string | undefined;
}

/** The combined effect of every rule that fired for one request. */
export interface FaultDecision {
  /** Sum of the latency faults that fired. */
  readonly delayMs: number;
  /** The first non-latency fault that fired, if any. */
  readonly terminal: Exclude<Fault, { kind: 'latency' }> | undefined;
}

/** A rule and how many more requests it may affect. */
export interface ActiveFaultRule {
  readonly rule: FaultRule;
  readonly remaining: number | undefined;
}

interface RuleState {
  readonly rule: FaultRule;
  remaining: number | undefined;
}

/** Validates rules given at run time (programmatic or admin API). */
export function validateFaultRules(rules: unknown): FaultRule[] {
  const parsed = faultRulesSchema.safeParse(rules);
  if (!parsed.success) {
    throw new EmulatorError('INVALID_FAULT_RULE', `Invalid fault rules: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

function matches(rule: FaultRule, subject: FaultSubject): boolean {
  const { match } = rule;
  return (
    (match.accountId === undefined || match.accountId === subject.accountId) &&
    (match.bucket === undefined || match.bucket === subject.bucket) &&
    (match.operation === undefined || match.operation === subject.operation) &&
    (match.region === undefined || match.region === subject.region)
  );
}

/**
 * Holds the fault rules and decides, per request, which fire. Rules are evaluated in order; the
 * dice come from an injected seeded source so a test sees the same faults on every run.
 */
export class FaultInjector {
  private rules: RuleState[] = [];

  constructor(private readonly random: RandomSource) {}

  set(rules: readonly FaultRule[]): void {
    this.rules = validateFaultRules(rules).map((rule) => ({ rule, remaining: rule.times }));
  }

  clear(): void {
    this.rules = [];
  }

  list(): readonly ActiveFaultRule[] {
    return this.rules.map(({ rule, remaining }) => ({ rule, remaining }));
  }

  decide(subject: FaultSubject): FaultDecision | undefined {
    if (this.rules.length === 0) return undefined;
    let delayMs = 0;
    let terminal: FaultDecision['terminal'];
    let exhausted = false;
    for (const state of this.rules) {
      if (state.remaining === 0 || !matches(state.rule, subject)) continue;
      const probability = state.rule.probability ?? 1;
      if (probability < 1 && this.random() >= probability) continue;
      const { fault } = state.rule;
      if (fault.kind === 'latency') {
        delayMs += fault.fixedMs + (fault.jitterMs === undefined ? 0 : this.random() * fault.jitterMs);
      } else {
        terminal = fault;
      }
      if (state.remaining !== undefined) {
        state.remaining -= 1;
        exhausted ||= state.remaining === 0;
      }
      if (terminal !== undefined) break;
    }
    if (exhausted) this.rules = this.rules.filter((state) => state.remaining !== 0);
    return delayMs === 0 && terminal === undefined ? undefined : { delayMs: Math.round(delayMs), terminal };
  }
}
