import type { Acs3SigningError } from '@app/signing';

import type { FaultErrorCode } from '../faults/fault.types';
import type { KmsKeyRecord } from '../fleet/kms-keys';

/**
 * KMS (and API gateway) answers in their JSON form. Codes, statuses and messages follow the KMS
 * "Response structure" common-error table and the DescribeKey page (AlibabaCloudDocs/kms,
 * `intl.en-US/API Reference/Calling method/Response structure.md`, `.../Key/DescribeKey.md`) and
 * the gateway's public error codes; docs/wire/kms-and-acs3.md §2-§3 lists each with its source and
 * marks the statuses we chose.
 */
export interface KmsError {
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

export function keyNotFound(): KmsError {
  return { code: 'Forbidden.KeyNotFound', status: 404, message: 'The specified Key is not found.' };
}

export function aliasNotFound(): KmsError {
  return { code: 'Forbidden.AliasNotFound', status: 404, message: 'The specified Alias is not found.' };
}

/** A key policy (the fleet's `deny`) or a cross-account ARN without a grant. */
export function noPermission(): KmsError {
  return {
    code: 'Forbidden.NoPermission',
    status: 403,
    message: 'This operation is forbidden by permission system.',
  };
}

/** The account's RAM policy denies kms:DescribeKey (the fleet's account `deny`). */
export function ramDenied(): KmsError {
  return {
    code: 'Forbidden.RAM',
    status: 403,
    message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
  };
}

export function missingParameter(name: string): KmsError {
  return {
    code: 'MissingParameter',
    status: 400,
    message: `The parameter "${name}" is needed but not provided.`,
  };
}

export function invalidParameter(name: string): KmsError {
  return {
    code: 'InvalidParameter',
    status: 400,
    message: `The specified parameter "${name}" is not valid.`,
  };
}

/** An action KMS does not have (gateway public codes: InvalidApi.NotFound, 404). */
export function apiNotFound(): KmsError {
  return {
    code: 'InvalidApi.NotFound',
    status: 404,
    message: 'Specified api is not found, please check your url and method.',
  };
}

/** A version other than 2016-01-20 (status our choice: the gateway's parameter errors are 400). */
export function invalidVersion(): KmsError {
  return { code: 'InvalidVersion', status: 400, message: 'Specified parameter Version is not valid.' };
}

export function unsupportedHttpMethod(): KmsError {
  return { code: 'UnsupportedHTTPMethod', status: 403, message: 'This http method is not supported.' };
}

/** A body over the emulator's limit or cut short. */
export function unreadableParameters(): KmsError {
  return {
    code: 'ParseRequestParameterException',
    status: 400,
    message: 'Server parse parameters exception. Please check your input params.',
  };
}

export function fromAcs3Error(error: Acs3SigningError): KmsError {
  return { code: error.code, status: error.httpStatus, message: error.message };
}

const INTERNAL_FAILURE: KmsError = { code: 'InternalFailure', status: 500, message: 'Internal Failure.' };
const UNAVAILABLE: KmsError = {
  code: 'ServiceUnavailableTemporary',
  status: 503,
  message: 'Service Unavailable Temporary.',
};
const THROTTLING: KmsError = {
  code: 'Throttling',
  status: 400,
  message: 'Request was denied due to request throttling.',
};

/** A fault rule's error in KMS's vocabulary: internal failure, temporary unavailability, throttling. */
export function kmsFaultError(
  code: FaultErrorCode,
  status: number | undefined,
  message: string | undefined,
): KmsError {
  const known =
    code === 'InternalError' || code === 'InternalServerErrorException'
      ? INTERNAL_FAILURE
      : code === 'QpsLimitExceeded' || code === 'TooManyRequestsException'
        ? THROTTLING
        : UNAVAILABLE;
  return { code: known.code, status: status ?? known.status, message: message ?? known.message };
}

/** `{"RequestId","HostId","Code","Message","Recommend"}`, the gateway's error body. */
export function renderKmsError(error: KmsError, requestId: string, hostId: string): string {
  return JSON.stringify({
    RequestId: requestId,
    HostId: hostId,
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=Kms&requestId=${requestId}`,
  });
}

/**
 * The DescribeKey answer. Like the documented sample, dates that do not apply (DeleteDate,
 * MaterialExpireTime) are sent as `""`, while the rotation schedule is left out when rotation is off.
 */
export function renderDescribeKey(key: KmsKeyRecord, requestId: string): string {
  const keyMetadata: Record<string, string> = {
    KeyId: key.keyId,
    Arn: key.arn,
    KeyState: key.keyState,
    Creator: key.creator,
    Origin: key.origin,
    ProtectionLevel: key.protectionLevel,
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    Description: key.description,
    CreationDate: key.creationDate,
    AutomaticRotation: key.automaticRotation,
    LastRotationDate: key.lastRotationDate,
    DeletionProtection: key.deletionProtection,
    DeleteDate: key.deleteDate ?? '',
    MaterialExpireTime: key.materialExpireTime ?? '',
    PrimaryKeyVersion: key.primaryKeyVersion,
  };
  if (key.rotationInterval !== undefined) keyMetadata.RotationInterval = key.rotationInterval;
  if (key.nextRotationDate !== undefined) keyMetadata.NextRotationDate = key.nextRotationDate;
  if (key.deletionProtectionDescription !== undefined) {
    keyMetadata.DeletionProtectionDescription = key.deletionProtectionDescription;
  }
  return JSON.stringify({ RequestId: requestId, KeyMetadata: keyMetadata });
}
