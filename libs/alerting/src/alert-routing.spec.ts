import { toAlertEvent } from './alert-event';
import { routesTo, ruleOfWeakening } from './alert-routing';
import {
  encryption,
  exceptionExpiringRecord,
  exceptionStaleRecord,
  findingOpenedRecord,
  routing,
  weakenedRecord,
} from './testing/alert-fixtures';

const unencrypted = toAlertEvent(findingOpenedRecord('logs', { rule: 'unencrypted', severity: 'high' }));
const nonKms = toAlertEvent(findingOpenedRecord('media', { rule: 'non_kms', severity: 'medium' }));
const weakenedToAes = toAlertEvent(weakenedRecord('data', 'kms_cmk', 'oss_aes256', { severity: 'medium' }));
const weakenedToNone = toAlertEvent(weakenedRecord('data', 'oss_aes256', 'none', { severity: 'high' }));

describe('routesTo', () => {
  it('sends a new unencrypted finding at or above the minimum severity', () => {
    expect(routesTo(unencrypted, routing({ minSeverity: 'high' }))).toBe(true);
  });

  it('holds back an alert below the minimum severity, whatever its kind', () => {
    expect(routesTo(unencrypted, routing({ minSeverity: 'critical' }))).toBe(false);
    expect(routesTo(weakenedToAes, routing({ minSeverity: 'high' }))).toBe(false);
  });

  it('sends non_kms findings only to channels that include them', () => {
    expect(routesTo(nonKms, routing({ minSeverity: 'low' }))).toBe(false);
    expect(routesTo(nonKms, routing({ minSeverity: 'low', includeNonKms: true }))).toBe(true);
  });

  it('sends a weakening to OSS-managed keys without includeNonKms', () => {
    expect(routesTo(weakenedToAes, routing({ minSeverity: 'medium' }))).toBe(true);
  });

  it('filters new findings by rule', () => {
    expect(routesTo(unencrypted, routing({ rules: ['unencrypted'] }))).toBe(true);
    expect(routesTo(unencrypted, routing({ rules: ['unverifiable'] }))).toBe(false);
  });

  it('filters weakenings by the rule of the state they land in', () => {
    expect(routesTo(weakenedToNone, routing({ rules: ['unencrypted'] }))).toBe(true);
    expect(routesTo(weakenedToAes, routing({ minSeverity: 'medium', rules: ['unencrypted'] }))).toBe(false);
    expect(routesTo(weakenedToAes, routing({ minSeverity: 'medium', rules: ['non_kms'] }))).toBe(true);
  });

  it('filters by account alias', () => {
    const elsewhere = toAlertEvent(findingOpenedRecord('logs', { accountAlias: 'staging' }));
    expect(routesTo(elsewhere, routing({ accounts: ['prod'] }))).toBe(false);
    expect(routesTo(unencrypted, routing({ accounts: ['prod'] }))).toBe(true);
  });
});

describe('ruleOfWeakening', () => {
  it('names the rule of the class a weakening lands in', () => {
    expect(ruleOfWeakening(encryption('none'))).toBe('unencrypted');
    expect(ruleOfWeakening(encryption('oss_sm4'))).toBe('non_kms');
    expect(ruleOfWeakening(encryption('kms_default'))).toBe('kms_default_key');
    expect(ruleOfWeakening(null)).toBeNull();
  });
});

describe('routesTo an alert about an exception', () => {
  const expiring = toAlertEvent(exceptionExpiringRecord('exc-legacy', { severity: 'medium' }));
  const stale = toAlertEvent(exceptionStaleRecord('exc-tmp', { severity: 'low' }));

  it('applies the minimum severity like any alert', () => {
    expect(routesTo(expiring, routing({ minSeverity: 'medium' }))).toBe(true);
    expect(routesTo(stale, routing({ minSeverity: 'medium' }))).toBe(false);
  });

  it('filters by the account its scope lies in, and holds it back when that account is unknown', () => {
    expect(routesTo(expiring, routing({ minSeverity: 'low', accounts: ['prod'] }))).toBe(true);
    expect(routesTo(expiring, routing({ minSeverity: 'low', accounts: ['dev'] }))).toBe(false);
    const unknownAccount = toAlertEvent(exceptionExpiringRecord('exc-x', { accountAlias: null }));
    expect(routesTo(unknownAccount, routing({ minSeverity: 'low', accounts: ['prod'] }))).toBe(false);
  });

  it('passes a rules filter when the exception covers one of its rules', () => {
    expect(routesTo(expiring, routing({ minSeverity: 'low', rules: ['unencrypted'] }))).toBe(true);
    expect(routesTo(expiring, routing({ minSeverity: 'low', rules: ['non_kms'] }))).toBe(false);
  });
});
