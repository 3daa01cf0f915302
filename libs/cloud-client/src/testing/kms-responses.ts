/**
 * Wire answers of KMS DescribeKey for the unit specs. DOC marks the sample of the KMS API reference
 * (AlibabaCloudDocs/kms `intl.en-US/API Reference/Key/DescribeKey.md`, JSON format); errors follow
 * the KMS common-error table (`intl.en-US/API Reference/Calling method/Response structure.md`) and
 * the API gateway's JSON error shape `{"RequestId","HostId","Code","Message","Recommend"}`.
 */

/** DOC: the DescribeKey sample answer (masked digits kept as published). */
export const DESCRIBE_KEY_DOC = JSON.stringify({
  KeyMetadata: {
    CreationDate: '2021-05-20T06:34:21Z',
    Description: '',
    KeyId: '05754286-3ba2-4fa6-8d41-4323aca6****',
    KeySpec: 'Aliyun_AES_256',
    KeyState: 'Enabled',
    KeyUsage: 'ENCRYPT/DECRYPT',
    PrimaryKeyVersion: '515e0b0a-624f-45ab-92b5-54f9b551****',
    DeleteDate: '',
    Creator: '154035569884****',
    Arn: 'acs:kms:cn-hangzhou:154035569884****:key/05754286-3ba2-4fa6-8d41-4323aca6****',
    Origin: 'Aliyun_KMS',
    MaterialExpireTime: '',
    ProtectionLevel: 'HSM',
    LastRotationDate: '2021-05-20T06:34:21Z',
    AutomaticRotation: 'Disabled',
    DeletionProtection: 'Enabled',
  },
  RequestId: 'f1fdfa9d-bd49-418b-942f-8f3e3ec00a4f',
});

/** The DOC key's id, which DescribeKey must have been asked about for the answer to be accepted. */
export const DOC_KEY_ID = '05754286-3ba2-4fa6-8d41-4323aca6****';

/** A key pending deletion with rotation on, in the documented field forms. */
export const DESCRIBE_KEY_PENDING_DELETION = JSON.stringify({
  RequestId: 'REQ-PD',
  KeyMetadata: {
    KeyId: 'key-hzz630494463ejqjx0001',
    Arn: 'acs:kms:cn-hangzhou:1540355698840001:key/key-hzz630494463ejqjx0001',
    KeyState: 'PendingDeletion',
    DeleteDate: '2024-05-26T18:22:03Z',
    Creator: '1540355698840001',
    Origin: 'EXTERNAL',
    AutomaticRotation: 'Enabled',
    RotationInterval: '31536000s',
    NextRotationDate: '2025-05-20T06:34:21Z',
    MaterialExpireTime: '2026-01-01T00:00:00Z',
  },
});

/** A KMS or gateway error body. */
export function kmsError(code: string, message: string, requestId = 'REQ-ERR'): string {
  return JSON.stringify({
    RequestId: requestId,
    HostId: 'kms.cn-hangzhou.aliyuncs.com',
    Code: code,
    Message: message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${code}`,
  });
}
