import { createHash } from 'node:crypto';

import { EmulatorError } from '../emulator-error';
import { KMS_ALIAS, KMS_KEY_ID, kmsKeyArn, type KmsKeyIdentifier } from '../protocol/kms-key-ids';
import { isValidRegionId } from '../protocol/request-routing';
import type { DenySpec, KmsKeySpec, KmsKeyState } from './fleet.types';
import type { KmsKeyPatch } from './kms-key.schema';

const DEFAULT_CREATION_DATE = '2024-01-01T00:00:00Z';
const DEFAULT_ROTATION_INTERVAL = '31536000s';

/** A key as served: every DescribeKey field resolved, plus its owner and deny. */
export interface KmsKeyRecord {
  readonly keyId: string;
  readonly accountId: string;
  readonly region: string;
  readonly arn: string;
  readonly keyState: KmsKeyState;
  readonly creator: string;
  readonly origin: 'Aliyun_KMS' | 'EXTERNAL';
  readonly protectionLevel: 'SOFTWARE' | 'HSM';
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly description: string;
  readonly creationDate: string;
  readonly automaticRotation: 'Enabled' | 'Disabled' | 'Suspended';
  readonly rotationInterval: string | undefined;
  readonly lastRotationDate: string;
  readonly nextRotationDate: string | undefined;
  readonly deletionProtection: 'Enabled' | 'Disabled';
  readonly deletionProtectionDescription: string | undefined;
  readonly deleteDate: string | undefined;
  readonly materialExpireTime: string | undefined;
  readonly primaryKeyVersion: string;
  readonly aliases: readonly string[];
  readonly deny: DenySpec | undefined;
}

/** How a KeyId resolved for a caller in a region (undefined region: a neutral host, any region). */
export type KmsKeyResolution =
  | { readonly kind: 'key'; readonly key: KmsKeyRecord }
  | { readonly kind: 'key_not_found' }
  | { readonly kind: 'alias_not_found' }
  /** An ARN naming another account's key: it exists, but grants this caller nothing. */
  | { readonly kind: 'other_account' };

function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `lastRotation + interval`, both as the service writes them. */
function nextRotation(lastRotationDate: string, interval: string): string {
  const seconds = Number(interval.slice(0, -1));
  return new Date(Date.parse(lastRotationDate) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function invalid(message: string): EmulatorError {
  return new EmulatorError('INVALID_FLEET', message);
}

/**
 * Resolves a spec into a record and checks what the service guarantees: a PendingDeletion key has
 * a deletion date, a PendingImport key has imported (EXTERNAL) material, a rotation interval and
 * next date only while rotation is on.
 */
function toRecord(accountId: string, spec: KmsKeySpec): KmsKeyRecord {
  if (!KMS_KEY_ID.test(spec.keyId)) throw invalid(`Invalid KMS key id "${spec.keyId}".`);
  if (!isValidRegionId(spec.region)) throw invalid(`Invalid region "${spec.region}" for key ${spec.keyId}.`);
  const keyState = spec.keyState ?? 'Enabled';
  const origin = spec.origin ?? 'Aliyun_KMS';
  if (keyState === 'PendingDeletion' && spec.deleteDate === undefined) {
    throw invalid(`Key ${spec.keyId} is PendingDeletion without a deleteDate.`);
  }
  if (keyState === 'PendingImport' && origin !== 'EXTERNAL') {
    throw invalid(`Key ${spec.keyId} is PendingImport but its origin is not EXTERNAL.`);
  }
  const aliases = spec.aliases ?? [];
  const badAlias = aliases.find((alias) => !KMS_ALIAS.test(alias));
  if (badAlias !== undefined) throw invalid(`Invalid alias "${badAlias}" for key ${spec.keyId}.`);
  const automaticRotation = spec.automaticRotation ?? 'Disabled';
  const rotating = automaticRotation !== 'Disabled';
  const creationDate = spec.creationDate ?? DEFAULT_CREATION_DATE;
  const lastRotationDate = spec.lastRotationDate ?? creationDate;
  const rotationInterval = rotating ? (spec.rotationInterval ?? DEFAULT_ROTATION_INTERVAL) : undefined;
  return {
    keyId: spec.keyId,
    accountId,
    region: spec.region,
    arn: kmsKeyArn(spec.region, accountId, spec.keyId),
    keyState,
    creator: spec.creator ?? accountId,
    origin,
    protectionLevel: spec.protectionLevel ?? 'SOFTWARE',
    keySpec: spec.keySpec ?? 'Aliyun_AES_256',
    keyUsage: spec.keyUsage ?? 'ENCRYPT/DECRYPT',
    description: spec.description ?? '',
    creationDate,
    automaticRotation,
    rotationInterval,
    lastRotationDate,
    nextRotationDate:
      rotationInterval === undefined
        ? undefined
        : (spec.nextRotationDate ?? nextRotation(lastRotationDate, rotationInterval)),
    deletionProtection: spec.deletionProtection ?? 'Disabled',
    deletionProtectionDescription: spec.deletionProtectionDescription,
    deleteDate: keyState === 'PendingDeletion' ? spec.deleteDate : undefined,
    materialExpireTime: origin === 'EXTERNAL' ? spec.materialExpireTime : undefined,
    primaryKeyVersion: spec.primaryKeyVersion ?? stableUuid(`${accountId}/${spec.keyId}`),
    aliases,
    deny: spec.deny,
  };
}

function toSpec(record: KmsKeyRecord): KmsKeySpec {
  const optional = <K extends keyof KmsKeySpec>(key: K, value: KmsKeySpec[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    keyId: record.keyId,
    region: record.region,
    keyState: record.keyState,
    creator: record.creator,
    origin: record.origin,
    protectionLevel: record.protectionLevel,
    keySpec: record.keySpec,
    keyUsage: record.keyUsage,
    description: record.description,
    creationDate: record.creationDate,
    automaticRotation: record.automaticRotation,
    ...optional('rotationInterval', record.rotationInterval),
    lastRotationDate: record.lastRotationDate,
    ...optional('nextRotationDate', record.nextRotationDate),
    deletionProtection: record.deletionProtection,
    ...optional('deletionProtectionDescription', record.deletionProtectionDescription),
    ...optional('deleteDate', record.deleteDate),
    ...optional('materialExpireTime', record.materialExpireTime),
    primaryKeyVersion: record.primaryKeyVersion,
    aliases: record.aliases,
    ...optional('deny', record.deny),
  };
}

function aliasKey(accountId: string, region: string, alias: string): string {
  return `${accountId}\n${region}\n${alias}`;
}

/** The fleet's KMS keys: by id (unique across the fleet) and by alias per account and region. */
export class KmsKeyStore {
  private readonly byId = new Map<string, KmsKeyRecord>();
  private readonly byAlias = new Map<string, string>();

  get size(): number {
    return this.byId.size;
  }

  get(keyId: string): KmsKeyRecord | undefined {
    return this.byId.get(keyId);
  }

  add(accountId: string, spec: KmsKeySpec): KmsKeyRecord {
    if (this.byId.has(spec.keyId)) {
      throw new EmulatorError('DUPLICATE_KMS_KEY', `KMS key ${spec.keyId} exists already (ids are global).`);
    }
    const record = toRecord(accountId, spec);
    for (const alias of record.aliases) {
      if (this.byAlias.has(aliasKey(accountId, record.region, alias))) {
        throw new EmulatorError(
          'DUPLICATE_KMS_KEY',
          `Alias ${alias} is bound already in ${accountId}/${record.region}.`,
        );
      }
    }
    this.byId.set(record.keyId, record);
    for (const alias of record.aliases)
      this.byAlias.set(aliasKey(accountId, record.region, alias), record.keyId);
    return record;
  }

  /** Applies an admin change to a live key; undefined when there is no such key. */
  update(keyId: string, patch: KmsKeyPatch): KmsKeyRecord | undefined {
    const current = this.byId.get(keyId);
    if (current === undefined) return undefined;
    // A state change away from PendingDeletion ends the schedule; a rotation change recomputes the next date.
    const dropped = new Set<string>();
    if (
      patch.keyState !== undefined &&
      patch.keyState !== 'PendingDeletion' &&
      patch.deleteDate === undefined
    ) {
      dropped.add('deleteDate');
    }
    if (patch.automaticRotation !== undefined && patch.nextRotationDate === undefined)
      dropped.add('nextRotationDate');
    const fields = new Map<string, unknown>(Object.entries(toSpec(current)));
    for (const [name, value] of Object.entries(patch)) fields.set(name, value);
    for (const name of dropped) fields.delete(name);
    const spec = Object.fromEntries([...fields].filter(([, value]) => value !== null && value !== undefined));
    const updated = toRecord(current.accountId, spec as unknown as KmsKeySpec);
    this.byId.set(keyId, updated);
    return updated;
  }

  /** The keys of an account, for `toSpec()`, in creation order. */
  specsOf(accountId: string): KmsKeySpec[] {
    return [...this.byId.values()].filter((record) => record.accountId === accountId).map(toSpec);
  }

  /**
   * Resolves a KeyId for `callerAccountId` in `region`. Ids and aliases name the caller's own keys
   * in that region; an ARN names its account and region, and one of another account resolves to
   * `other_account` (no cross-account grants are emulated).
   */
  resolve(
    callerAccountId: string,
    region: string | undefined,
    identifier: KmsKeyIdentifier,
  ): KmsKeyResolution {
    switch (identifier.kind) {
      case 'id': {
        const key = this.byId.get(identifier.keyId);
        const visible = key?.accountId === callerAccountId && (region === undefined || key.region === region);
        return visible ? { kind: 'key', key } : { kind: 'key_not_found' };
      }
      case 'key-arn': {
        const key = this.byId.get(identifier.keyId);
        if (
          key === undefined ||
          key.accountId !== identifier.accountId ||
          key.region !== identifier.region ||
          (region !== undefined && region !== identifier.region)
        ) {
          return { kind: 'key_not_found' };
        }
        return key.accountId === callerAccountId ? { kind: 'key', key } : { kind: 'other_account' };
      }
      case 'alias':
        return this.resolveAlias(callerAccountId, region, identifier.alias);
      case 'alias-arn': {
        if (region !== undefined && region !== identifier.region) return { kind: 'alias_not_found' };
        const resolution = this.resolveAlias(identifier.accountId, identifier.region, identifier.alias);
        return resolution.kind === 'key' && identifier.accountId !== callerAccountId
          ? { kind: 'other_account' }
          : resolution;
      }
    }
  }

  private resolveAlias(accountId: string, region: string | undefined, alias: string): KmsKeyResolution {
    if (region !== undefined) {
      const keyId = this.byAlias.get(aliasKey(accountId, region, alias));
      const key = keyId === undefined ? undefined : this.byId.get(keyId);
      return key === undefined ? { kind: 'alias_not_found' } : { kind: 'key', key };
    }
    const key = [...this.byId.values()].find(
      (candidate) => candidate.accountId === accountId && candidate.aliases.includes(alias),
    );
    return key === undefined ? { kind: 'alias_not_found' } : { kind: 'key', key };
  }
}
