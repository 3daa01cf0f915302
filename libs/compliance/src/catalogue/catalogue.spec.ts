import { catalogueProblems, frameworkControlIds, type ControlCatalogue } from './catalogue';
import { DEFAULT_CATALOGUE } from './default-catalogue';

describe('the default catalogue', () => {
  it('is sound', () => {
    expect(catalogueProblems(DEFAULT_CATALOGUE)).toEqual([]);
  });

  it('holds CIS 5.8 and 5.9, the five Cloud Config rules and seven Seed controls', () => {
    expect(DEFAULT_CATALOGUE.controls.map((control) => control.id)).toEqual([
      'cis-alibaba-v2.0.0-5.8',
      'cis-alibaba-v2.0.0-5.9',
      'config-oss-bucket-server-side-encryption-enabled',
      'config-oss-default-encryption-kms',
      'config-oss-encryption-byok-check',
      'config-kms-key-rotation-enabled',
      'config-kms-key-delete-protection-enabled',
      'seed-table-encrypted',
      'seed-table-bucket-default-encryption',
      'seed-table-not-weaker-than-bucket',
      'seed-kms-key-exists',
      'seed-kms-key-enabled',
      'seed-kms-key-approved',
      'seed-encryption-verifiable',
    ]);
  });

  // Alibaba's packs in aliyun/infraguard policies/aliyun/packs, read for the five rules this catalogue implements.
  it.each([
    ['cis-alibaba-v2.0.0', ['cis-alibaba-v2.0.0-5.8', 'cis-alibaba-v2.0.0-5.9']],
    ['alibaba-mlps-level-3-pre-check', ['config-oss-default-encryption-kms']],
    [
      'alibaba-pci-dss',
      [
        'config-oss-bucket-server-side-encryption-enabled',
        'config-oss-encryption-byok-check',
        'config-kms-key-rotation-enabled',
        'config-kms-key-delete-protection-enabled',
      ],
    ],
    ['alibaba-iso-27001', ['config-oss-default-encryption-kms', 'config-kms-key-rotation-enabled']],
  ])('maps %s onto exactly the controls its pack lists', (frameworkId, controlIds) => {
    const framework = DEFAULT_CATALOGUE.frameworks.find((candidate) => candidate.id === frameworkId);
    expect(framework === undefined ? null : frameworkControlIds(framework)).toEqual(controlIds);
  });

  it('names each Cloud Config requirement by the rule id the pack names', () => {
    const configReferences = new Map(
      DEFAULT_CATALOGUE.controls
        .filter((control) => control.source.authority === 'Alibaba Cloud Config')
        .map((control) => [control.id, control.source.reference]),
    );
    const packRequirements = DEFAULT_CATALOGUE.frameworks
      .filter((framework) => framework.source.publisher === 'Alibaba Cloud')
      .flatMap((framework) => framework.requirements);
    for (const requirement of packRequirements) {
      expect(requirement.controlIds.map((id) => configReferences.get(id))).toEqual([requirement.id]);
    }
  });
});

describe('catalogueProblems', () => {
  it('finds malformed and repeated ids, empty kinds, missing citations and unknown mapped controls', () => {
    const control = DEFAULT_CATALOGUE.controls[0]!;
    const broken: ControlCatalogue = {
      version: 'broken',
      controls: [
        control,
        control,
        { ...control, id: 'Bad Id', resourceKinds: [], source: { ...control.source, citations: [] } },
      ],
      frameworks: [
        {
          id: 'fw',
          title: 'fw',
          source: { publisher: 'x', citations: [] },
          requirements: [{ id: 'r', title: 'r', controlIds: ['missing'] }],
          scopeNote: '',
        },
      ],
    };
    expect(catalogueProblems(broken)).toEqual([
      `control id "${control.id}" is used twice`,
      'control id "Bad Id" must be lowercase letters, digits, "." and "-"',
      'control "Bad Id" applies to no resource kind',
      'control "Bad Id" cites no source',
      'framework "fw" requirement "r" names unknown control "missing"',
    ]);
  });
});
