import { startEmulator, type EmulatorHandle } from '@app/oss-emulator';

import { APPEARING_BUCKET, DEMO_CMK_ID, demoFleet, planFleetChanges, type FleetChange } from './demo-fleet';
import { DemoError } from './demo-error';
import { applyFleetChanges } from './fleet-changes';

/** The demo's changes go through the emulator's signature checks like any client's calls. */

const fleet = demoFleet();
const changes = planFleetChanges(fleet);
let emulator: EmulatorHandle;

beforeEach(async () => {
  emulator = await startEmulator({ fleet });
});

afterEach(async () => {
  await emulator.close();
});

function one<K extends FleetChange['kind']>(kind: K, index = 0): Extract<FleetChange, { kind: K }> {
  const change = changes.filter((candidate) => candidate.kind === kind)[index];
  if (change === undefined) throw new Error(`no ${kind} change`);
  return change as Extract<FleetChange, { kind: K }>;
}

describe('applyFleetChanges', () => {
  beforeEach(async () => {
    await applyFleetChanges({ url: emulator.url, adminToken: emulator.adminToken }, changes);
  });

  it('sets, replaces and removes bucket encryption through signed OSS calls', () => {
    const buckets = emulator.state.buckets;
    expect(buckets.get(one('put-bucket-encryption', 0).bucket)?.encryption).toEqual({
      sseAlgorithm: 'KMS',
      kmsMasterKeyId: DEMO_CMK_ID,
    });
    expect(buckets.get(one('put-bucket-encryption', 1).bucket)?.encryption).toEqual({
      sseAlgorithm: 'AES256',
    });
    expect(buckets.get(one('put-bucket-encryption', 2).bucket)?.encryption).toEqual({ sseAlgorithm: 'KMS' });
    expect(buckets.get(one('delete-bucket-encryption').bucket)?.encryption).toBeNull();
  });

  it('deletes a bucket and creates another', () => {
    expect(emulator.state.buckets.has(one('delete-bucket').bucket)).toBe(false);
    expect(emulator.state.buckets.get(APPEARING_BUCKET)?.accountId).toBe(one('create-bucket').accountId);
  });

  it("sets a table bucket's encryption through a signed OSS Tables call", () => {
    expect(emulator.state.tableBuckets.get(one('put-table-bucket-encryption').arn)?.encryption).toEqual({
      sseAlgorithm: 'AES256',
    });
  });

  it('counts one signed request per OSS change', () => {
    expect(emulator.requestCount('PutBucketEncryption')).toBe(3);
    expect(emulator.requestCount('DeleteBucketEncryption')).toBe(1);
    expect(emulator.requestCount('DeleteBucket')).toBe(1);
    expect(emulator.requestCount('PutTableBucketEncryption')).toBe(1);
  });
});

describe('a change the service refuses', () => {
  it('fails with FLEET_CHANGE_FAILED naming the call and its status', async () => {
    const change = one('delete-bucket-encryption');
    const forged = { ...change, credentials: { ...change.credentials, accessKeySecret: 'not-the-secret' } };
    const failure = applyFleetChanges({ url: emulator.url, adminToken: emulator.adminToken }, [forged]);
    await expect(failure).rejects.toBeInstanceOf(DemoError);
    await expect(failure).rejects.toMatchObject({
      code: 'FLEET_CHANGE_FAILED',
      message: `delete-bucket-encryption on ${change.bucket} answered HTTP 403`,
    });
    expect(emulator.state.buckets.get(change.bucket)?.encryption).not.toBeNull();
  });
});
