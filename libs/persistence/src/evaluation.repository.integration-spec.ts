import type {
  AlertToQueue,
  DriftSnapshot,
  DriftToRecord,
  EncryptionClass,
  FindingRule,
  FindingToKeep,
  FindingToOpen,
  FindingToResolve,
  ObservedChange,
  ResourceEvaluationInput,
  ResourceEvaluator,
  ResourceRef,
} from '@app/audit';
import { createTestDatabase, type TestDatabase } from '@app/testing';

import { type EvaluateAndFinishRequest, EvaluationRepository } from './evaluation.repository';
import { type ObservedResource, ObservationRepository } from './observation.repository';
import { ScanRepository } from './scan.repository';
import { bucketRef, night, observation, observed } from './testing/observations';

/** Which unseen resources a listing proved gone: a stand-in for the scanner's plan. */
type Listed = (ref: ResourceRef) => boolean;
const EVERY_PROD_BUCKET: Listed = (ref) => ref.accountAlias === 'prod' && ref.kind === 'bucket';

const STRENGTH: Record<Exclude<EncryptionClass, 'unknown'>, number> = {
  none: 0,
  oss_aes256: 1,
  oss_sm4: 1,
  kms_default: 2,
  kms_cmk: 3,
};

function payloadResource(input: ResourceEvaluationInput) {
  const { resourceKey, kind, accountAlias, region, name } = input.ref;
  return { resourceKey, resourceKind: kind, accountAlias, region, name };
}

function summary(change: ObservedChange) {
  const { encryptionClass, algorithm, kmsKeyId, kmsDataEncryption } = change.observation;
  return { encryptionClass, algorithm, kmsKeyId, kmsDataEncryption };
}

function snapshot(change: ObservedChange | null): DriftSnapshot | null {
  if (change === null) {
    return null;
  }
  const { encryptionClass, algorithm, kmsKeyId, kmsDataEncryption } = change.observation;
  return { encryptionClass, algorithm, kmsKeyId, kmsDataEncryption, changeId: change.changeId };
}

/**
 * A small stand-in for the audit's evaluator, so these tests speak of storage alone: `none` calls for `unencrypted`, `unknown` for
 * `unverifiable`; drift compares with the previous complete observation; alerts on every opened
 * finding and every weakening.
 */
const evaluate: ResourceEvaluator = (inputs) => inputs.map(evaluateOne);

function evaluateOne(input: ResourceEvaluationInput) {
  const { current, previousComplete, openFindings } = input;
  if (current === null) {
    return {
      open: [],
      keepOpen: [],
      resolve: openFindings.map((finding): FindingToResolve => ({
        id: finding.id,
        resolution: input.absence === 'out_of_scope' ? 'out_of_scope' : 'resource_deleted',
      })),
      drift:
        input.absence === 'out_of_scope'
          ? null
          : ({
              kind: 'disappeared',
              direction: null,
              before: snapshot(previousComplete),
              after: null,
            } as DriftToRecord),
      alerts: [],
    };
  }
  const seen = current.observation.encryptionClass;
  const required: FindingRule | null =
    seen === 'none' ? 'unencrypted' : seen === 'unknown' ? 'unverifiable' : null;
  const keepOpen: FindingToKeep[] = [];
  const resolve: FindingToResolve[] = [];
  const open: FindingToOpen[] = [];
  const alerts: AlertToQueue[] = [];
  for (const finding of openFindings) {
    if (finding.rule === required) {
      keepOpen.push({ id: finding.id, severity: finding.severity, title: 'kept', message: input.ref.name });
    } else if (seen !== 'unknown') {
      resolve.push({ id: finding.id, resolution: 'fixed' });
    }
  }
  if (required !== null && !openFindings.some((finding) => finding.rule === required)) {
    const findingKey = `${input.ref.resourceKey}|${required}`;
    open.push({
      findingKey,
      rule: required,
      severity: 'high',
      title: `${required} bucket`,
      message: input.ref.name,
    });
    alerts.push({
      dedupeKey: `${findingKey}|${current.changeId}`,
      eventType: 'finding_opened',
      severity: 'high',
      payload: {
        ...payloadResource(input),
        rule: required,
        title: 't',
        message: 'm',
        encryption: summary(current),
      },
      findingKey,
    });
  }
  let drift: DriftToRecord | null = null;
  if (input.firstSeenInThisScan || input.reappearedInThisScan) {
    drift = { kind: 'appeared', direction: null, before: null, after: snapshot(current) };
  } else if (seen !== 'unknown' && previousComplete !== null) {
    const before = previousComplete.observation.encryptionClass as Exclude<EncryptionClass, 'unknown'>;
    if (before !== seen) {
      const weakened = STRENGTH[seen] < STRENGTH[before];
      drift = {
        kind: 'encryption_changed',
        direction: weakened ? 'weakened' : 'strengthened',
        before: snapshot(previousComplete),
        after: snapshot(current),
      };
      if (weakened) {
        alerts.push({
          dedupeKey: `weakened|${input.ref.resourceKey}|${current.changeId}`,
          eventType: 'encryption_weakened',
          severity: 'high',
          payload: {
            ...payloadResource(input),
            before: summary(previousComplete),
            after: summary(current),
            changedFields: ['encryptionClass'],
          },
          drift: true,
        });
      }
    }
  }
  return { open, keepOpen, resolve, drift, alerts };
}

describe('EvaluationRepository', () => {
  let db: TestDatabase;
  let scans: ScanRepository;
  let observations: ObservationRepository;
  let evaluation: EvaluationRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    scans = new ScanRepository(db.dataSource);
    observations = new ObservationRepository(db.dataSource);
    evaluation = new EvaluationRepository(db.dataSource);
  });

  beforeEach(async () => {
    await db.truncate();
  });

  afterAll(async () => {
    await db.drop();
  });

  const rows = <T>(sql: string): Promise<T[]> => db.dataSource.query<T[]>(sql);

  /** Starts a scan on `day` and records `items`; the caller evaluates and finishes it. */
  const observeOn = async (day: number, items: readonly ObservedResource[]): Promise<number> => {
    const { scan } = await scans.startScan({ trigger: 'api', startedAt: night(day) });
    await observations.recordObservations(scan.id, night(day), items);
    return scan.id;
  };

  /** Evaluates and finishes a scan with `evaluate` (or another evaluator), as a succeeded scan of `scopes`. */
  const evaluateAndFinish = (scanId: number, day: number, request: Partial<EvaluateAndFinishRequest> = {}) =>
    evaluation.evaluateAndFinishScan(scanId, {
      evaluate,
      judgeUnseen: () => 'unproved',
      status: 'succeeded',
      coverage: [],
      evaluatedAt: night(day),
      ...request,
    });

  /** Observes, evaluates and finishes one scan; returns the scan id and the inputs the evaluator saw. */
  const scanOn = async (day: number, items: readonly ObservedResource[], listed: Listed = () => false) => {
    const scanId = await observeOn(day, items);
    const inputs: ResourceEvaluationInput[] = [];
    const { counts } = await evaluateAndFinish(scanId, day, {
      judgeUnseen: ({ ref }) => (listed(ref) ? 'vanished' : 'unproved'),
      evaluate: (chunk) => {
        inputs.push(...chunk);
        return evaluate(chunk);
      },
    });
    return { scanId, inputs, counts };
  };

  it('writes findings, drift events and linked outbox rows for what a scan observed', async () => {
    const { scanId, counts } = await scanOn(1, [
      observed(bucketRef('good'), observation('kms_cmk')),
      observed(bucketRef('bare'), observation('none')),
    ]);

    expect(counts).toEqual({ evaluated: 2, opened: 1, kept: 0, resolved: 0, drift: 2, alerts: 1 });
    const [finding] = await rows<Record<string, unknown>>(`SELECT * FROM findings`);
    expect(finding).toMatchObject({
      finding_key: 'oss:bare|unencrypted',
      rule: 'unencrypted',
      status: 'open',
      encryption_class: 'none',
      opened_scan_id: scanId,
      opened_at: night(1),
      last_seen_at: night(1),
    });
    expect(await rows(`SELECT kind, direction, before FROM drift_events ORDER BY resource_id`)).toEqual([
      { kind: 'appeared', direction: null, before: null },
      { kind: 'appeared', direction: null, before: null },
    ]);
    expect(await rows(`SELECT event_type, finding_id, drift_event_id, created_at FROM alert_outbox`)).toEqual(
      [{ event_type: 'finding_opened', finding_id: finding!.id, drift_event_id: null, created_at: night(1) }],
    );
  });

  it('gives as previous complete the latest complete change recorded before the scan', async () => {
    const ref = bucketRef('drifty');
    const first = await scanOn(1, [observed(ref, observation('kms_cmk'))]);
    const denied = await scanOn(2, [observed(ref, observation('unknown'))]);
    const bare = await scanOn(3, [observed(ref, observation('none'))]);
    const unchanged = await scanOn(4, [observed(ref, observation('none'))]);

    const kmsChange = first.inputs[0]!.current!;
    expect(denied.inputs[0]).toMatchObject({
      current: { observation: { encryptionClass: 'unknown' } },
      previousComplete: kmsChange,
    });
    expect(bare.inputs[0]!.previousComplete).toEqual(kmsChange);
    expect(bare.inputs[0]!.previousScanId).toBe(denied.scanId);
    expect(unchanged.inputs[0]!.previousComplete).toEqual(unchanged.inputs[0]!.current);
    expect(unchanged.counts.drift).toBe(0);

    const [drift] = await rows<Record<string, unknown>>(
      `SELECT * FROM drift_events WHERE kind = 'encryption_changed'`,
    );
    expect(drift).toMatchObject({
      scan_id: bare.scanId,
      previous_scan_id: denied.scanId,
      direction: 'weakened',
      before: { encryptionClass: 'kms_cmk', changeId: kmsChange.changeId },
      after: { encryptionClass: 'none', changeId: bare.inputs[0]!.current!.changeId },
    });
    expect(
      await rows(
        `SELECT event_type, drift_event_id FROM alert_outbox WHERE event_type = 'encryption_weakened'`,
      ),
    ).toEqual([{ event_type: 'encryption_weakened', drift_event_id: drift!.id }]);
  });

  it('keeps, resolves and reopens findings as a new row', async () => {
    const ref = bucketRef('toggle');
    await scanOn(1, [observed(ref, observation('none'))]);
    const kept = await scanOn(2, [observed(ref, observation('none'))]);
    const fixed = await scanOn(3, [observed(ref, observation('kms_cmk'))]);
    const reopened = await scanOn(4, [observed(ref, observation('none'))]);

    expect(kept.counts).toMatchObject({ opened: 0, kept: 1 });
    expect(fixed.counts).toMatchObject({ resolved: 1 });
    expect(reopened.counts).toMatchObject({ opened: 1 });
    expect(
      await rows(
        `SELECT status, resolution, last_seen_scan_id, resolved_scan_id FROM findings ORDER BY opened_at`,
      ),
    ).toEqual([
      {
        status: 'resolved',
        resolution: 'fixed',
        last_seen_scan_id: kept.scanId,
        resolved_scan_id: fixed.scanId,
      },
      { status: 'open', resolution: null, last_seen_scan_id: reopened.scanId, resolved_scan_id: null },
    ]);
  });

  it('writes nothing when the evaluator throws, not even the chunks already evaluated', async () => {
    const scanId = await observeOn(
      1,
      ['a', 'b', 'c', 'd', 'e'].map((name) => observed(bucketRef(name), observation('none'))),
    );
    let calls = 0;
    const failing: ResourceEvaluator = (chunk) => {
      calls += 1;
      if (calls === 3) {
        throw new Error('evaluator bug');
      }
      return evaluate(chunk);
    };

    await expect(evaluateAndFinish(scanId, 1, { evaluate: failing, chunkSize: 2 })).rejects.toThrow(
      'evaluator bug',
    );

    expect(calls).toBe(3);
    expect(
      await rows(
        `SELECT 'findings' FROM findings UNION ALL SELECT 'drift' FROM drift_events UNION ALL SELECT 'outbox' FROM alert_outbox`,
      ),
    ).toEqual([]);
    expect(await scans.findById(scanId)).toMatchObject({ status: 'running' });
  });

  it('hands every observed resource to the evaluator once, in chunks of at most chunkSize', async () => {
    const scanId = await observeOn(
      1,
      ['a', 'b', 'c', 'd', 'e'].map((name) => observed(bucketRef(name), observation('kms_cmk'))),
    );
    const chunks: string[][] = [];
    await evaluateAndFinish(scanId, 1, {
      chunkSize: 2,
      evaluate: (chunk) => {
        chunks.push(chunk.map((input) => input.ref.name));
        return evaluate(chunk);
      },
    });
    expect(chunks).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('adds nothing when a finished scan is evaluated again (a re-delivered job)', async () => {
    const scanId = await observeOn(1, [
      observed(bucketRef('bare'), observation('none')),
      observed(bucketRef('good'), observation('kms_cmk')),
    ]);
    const first = await evaluateAndFinish(scanId, 1);
    const again = await evaluateAndFinish(scanId, 1);

    expect(first).toMatchObject({ finished: true, scan: { status: 'succeeded' } });
    expect(again).toMatchObject({ finished: false, counts: { evaluated: 0, opened: 0, alerts: 0 } });
    expect(await rows(`SELECT count(*)::int AS n FROM findings`)).toEqual([{ n: 1 }]);
    expect(await rows(`SELECT count(*)::int AS n FROM drift_events`)).toEqual([{ n: 2 }]);
    expect(await rows(`SELECT count(*)::int AS n FROM alert_outbox`)).toEqual([{ n: 1 }]);
  });

  it('rejects an output that resolves a finding the resource does not have, writing nothing', async () => {
    const scanId = await observeOn(1, [observed(bucketRef('bare'), observation('none'))]);
    const wrong: ResourceEvaluator = (chunk) =>
      chunk.map((input) => ({
        ...evaluateOne(input),
        resolve: [{ id: '00000000-0000-4000-8000-000000000000', resolution: 'fixed' as const }],
      }));

    await expect(evaluateAndFinish(scanId, 1, { evaluate: wrong })).rejects.toMatchObject({
      code: 'INVALID_EVALUATION_OUTPUT',
    });
    expect(await rows(`SELECT id FROM findings`)).toEqual([]);
  });

  it('marks deleted only the present resources of completely listed scopes that a scan did not observe', async () => {
    const beijing = bucketRef('north', { region: 'cn-beijing' });
    const table = bucketRef('tb', {
      kind: 'table_bucket',
      resourceKey: 'acs:osstables:cn-hangzhou:123:bucket/tb',
    });
    await scanOn(1, [
      observed(bucketRef('stay'), observation('kms_cmk')),
      observed(bucketRef('gone'), observation('none')),
      observed(beijing, observation('kms_cmk')),
      observed(table, observation('oss_aes256')),
    ]);
    const deleted = async () =>
      (
        await rows<{ name: string }>(`SELECT name FROM resources WHERE deleted_at IS NOT NULL ORDER BY name`)
      ).map((row) => row.name);

    await scanOn(
      2,
      [observed(bucketRef('stay'), observation('kms_cmk'))],
      (ref) => ref.kind === 'bucket' && ref.region === 'cn-hangzhou',
    );
    expect(await deleted()).toEqual(['gone']);

    await scanOn(3, [observed(bucketRef('stay'), observation('kms_cmk'))], EVERY_PROD_BUCKET);
    expect(await deleted()).toEqual(['gone', 'north']);

    await scanOn(4, [observed(bucketRef('stay'), observation('kms_cmk'))]);
    expect(await deleted()).toEqual(['gone', 'north']);
  });

  it('resolves the findings of a vanished resource and records disappeared drift, once', async () => {
    const first = await scanOn(1, [
      observed(bucketRef('stay'), observation('kms_cmk')),
      observed(bucketRef('gone'), observation('none')),
    ]);
    const gone = first.inputs.find((input) => input.ref.name === 'gone')!;
    const second = await scanOn(2, [observed(bucketRef('stay'), observation('kms_cmk'))], EVERY_PROD_BUCKET);
    const third = await scanOn(3, [observed(bucketRef('stay'), observation('kms_cmk'))], EVERY_PROD_BUCKET);

    expect(second.inputs).toContainEqual(
      expect.objectContaining({
        resourceId: gone.resourceId,
        current: null,
        previousComplete: gone.current,
        previousScanId: first.scanId,
      }),
    );
    expect(second.counts).toEqual({ evaluated: 2, opened: 0, kept: 0, resolved: 1, drift: 1, alerts: 0 });
    expect(third.inputs.map((input) => input.ref.name)).toEqual(['stay']);
    expect(await rows(`SELECT status, resolution, resolved_scan_id FROM findings`)).toEqual([
      { status: 'resolved', resolution: 'resource_deleted', resolved_scan_id: second.scanId },
    ]);
    expect(
      await rows(`SELECT name, deleted_scan_id, deleted_at FROM resources WHERE deleted_at IS NOT NULL`),
    ).toEqual([{ name: 'gone', deleted_scan_id: second.scanId, deleted_at: night(2) }]);
    expect(await rows(`SELECT kind, after FROM drift_events WHERE scan_id = ${second.scanId}`)).toEqual([
      { kind: 'disappeared', after: null },
    ]);
  });

  it('takes a resource the plan no longer covers out of scope: findings close as out_of_scope, no drift', async () => {
    await scanOn(1, [
      observed(bucketRef('kept'), observation('kms_cmk')),
      observed(bucketRef('left'), observation('none')),
    ]);
    const scanId = await observeOn(2, [observed(bucketRef('kept'), observation('kms_cmk'))]);
    const { scan } = await evaluateAndFinish(scanId, 2, {
      judgeUnseen: ({ ref }) => (ref.name === 'left' ? 'out_of_scope' : 'unproved'),
    });

    expect(scan.summary).toMatchObject({ resourcesOutOfScope: 1, resourcesDisappeared: 0 });
    expect(await rows(`SELECT status, resolution FROM findings`)).toEqual([
      { status: 'resolved', resolution: 'out_of_scope' },
    ]);
    expect(
      await rows(`SELECT name, deleted_at, scope_left_scan_id FROM resources WHERE name = 'left'`),
    ).toEqual([{ name: 'left', deleted_at: null, scope_left_scan_id: scanId }]);
    expect(await rows(`SELECT kind FROM drift_events WHERE scan_id = ${scanId.toString()}`)).toEqual([]);

    // Back in scope and seen again: present, with no "appeared" drift (it never went away).
    await scanOn(3, [observed(bucketRef('left'), observation('none'))]);
    expect(await rows(`SELECT scope_left_at FROM resources WHERE name = 'left'`)).toEqual([
      { scope_left_at: null },
    ]);
  });

  it('leaves a resource whose scope could not be listed as it was: open findings stay open', async () => {
    await scanOn(1, [observed(bucketRef('unreachable'), observation('none'))]);
    await scanOn(2, []);
    expect(await rows(`SELECT status FROM findings`)).toEqual([{ status: 'open' }]);
    expect(await rows(`SELECT deleted_at, scope_left_at FROM resources`)).toEqual([
      { deleted_at: null, scope_left_at: null },
    ]);
  });

  it('tells the evaluator that a resource marked deleted has reappeared', async () => {
    const ref = bucketRef('phoenix');
    await scanOn(1, [observed(ref, observation('kms_cmk'))]);
    await scanOn(2, [], EVERY_PROD_BUCKET);

    const back = await scanOn(3, [observed(ref, observation('kms_cmk'))]);

    expect(back.inputs[0]).toMatchObject({ firstSeenInThisScan: false, reappearedInThisScan: true });
    expect(await rows(`SELECT kind FROM drift_events ORDER BY id`)).toEqual([
      { kind: 'appeared' },
      { kind: 'disappeared' },
      { kind: 'appeared' },
    ]);
  });
});
