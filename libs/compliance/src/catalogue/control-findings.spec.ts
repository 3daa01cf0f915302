import { FINDING_RULES } from '@app/audit';

import { controlFindingScope } from './control-findings';
import { DEFAULT_CATALOGUE } from './default-catalogue';

const control = (id: string) => {
  const found = DEFAULT_CATALOGUE.controls.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no control ${id}`);
  return found;
};

describe('controlFindingScope', () => {
  it('gives every control of the catalogue at least one finding rule and the kinds it judges', () => {
    for (const each of DEFAULT_CATALOGUE.controls) {
      const scope = controlFindingScope(each);
      expect(scope.findingRules.length).toBeGreaterThan(0);
      expect(scope.resourceKinds).toEqual(each.resourceKinds);
    }
  });

  it('maps the server-side-encryption-enabled control to unencrypted (and unverifiable) buckets', () => {
    expect(controlFindingScope(control('config-oss-bucket-server-side-encryption-enabled'))).toEqual({
      findingRules: ['unencrypted', 'unverifiable'],
      resourceKinds: ['bucket'],
    });
  });

  it('maps the BYOK control to findings of buckets not using a key of their own account', () => {
    const { findingRules } = controlFindingScope(control('cis-alibaba-v2.0.0-5.9'));
    expect(findingRules).toEqual(
      expect.arrayContaining(['non_kms', 'kms_default_key', 'kms_key_cross_account']),
    );
    expect(findingRules).not.toContain('kms_key_rotation_disabled');
  });

  it('covers every finding rule with at least one control', () => {
    const covered = new Set(
      DEFAULT_CATALOGUE.controls.flatMap((each) => controlFindingScope(each).findingRules),
    );
    expect(FINDING_RULES.filter((rule) => !covered.has(rule))).toEqual([]);
  });
});
