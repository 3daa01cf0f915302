/**
 * Wire answers of the operations, for the unit specs. Bodies marked GO2 are the fixtures of
 * aliyun/alibabacloud-oss-go-sdk-v2 (oss/client_mock_test.go, oss/api_op_bucket_encryption_test.go,
 * oss/tables/client_mock_test.go) as quoted in docs/wire/oss.md §5 and §7; J1 is
 * aliyun/aliyun-oss-java-sdk ResponseParsersTest.java. Unmarked ones are built from the §7 formats.
 */

/** GO2: a truncated ListBuckets page. */
export const LIST_BUCKETS_TRUNCATED_GO2 =
  '<ListAllMyBucketsResult><Prefix>my</Prefix><Marker>mybucket</Marker><MaxKeys>10</MaxKeys>' +
  '<IsTruncated>true</IsTruncated><NextMarker>mybucket10</NextMarker><Owner><ID>ut_test_put_bucket</ID>' +
  '<DisplayName>ut_test_put_bucket</DisplayName></Owner><Buckets><Bucket><CreationDate>2014-05-14T11:18:32.000Z</CreationDate>' +
  '<ExtranetEndpoint>oss-cn-hangzhou.aliyuncs.com</ExtranetEndpoint><IntranetEndpoint>oss-cn-hangzhou-internal.aliyuncs.com</IntranetEndpoint>' +
  '<Location>oss-cn-hangzhou</Location><Name>mybucket01</Name><Region>cn-hangzhou</Region>' +
  '<StorageClass>Standard</StorageClass></Bucket></Buckets></ListAllMyBucketsResult>';

/** A last page as the doc describes it: no paging elements, two buckets, one without `<Region>`. */
export const LIST_BUCKETS_LAST_PAGE = `<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult>
  <Owner><ID>512**</ID><DisplayName>51264</DisplayName></Owner>
  <Buckets>
    <Bucket>
      <CreationDate>2014-02-17T18:12:43.000Z</CreationDate>
      <ExtranetEndpoint>oss-cn-shanghai.aliyuncs.com</ExtranetEndpoint>
      <IntranetEndpoint>oss-cn-shanghai-internal.aliyuncs.com</IntranetEndpoint>
      <Location>oss-cn-shanghai</Location>
      <Name>app-base-oss</Name>
      <Region>cn-shanghai</Region>
      <StorageClass>Standard</StorageClass>
      <ResourceGroupId>rg-aek27tc********</ResourceGroupId>
    </Bucket>
    <Bucket>
      <CreationDate>2014-02-25T11:21:04.000Z</CreationDate>
      <Location>oss-cn-hangzhou</Location>
      <Name>mybucket</Name>
      <StorageClass>IA</StorageClass>
    </Bucket>
  </Buckets>
</ListAllMyBucketsResult>`;

/** GO2: KMS with a customer key. */
export const ENCRYPTION_KMS_GO2 = `<?xml version="1.0" encoding="UTF-8"?>
			<ServerSideEncryptionRule>
  <ApplyServerSideEncryptionByDefault>
    <SSEAlgorithm>KMS</SSEAlgorithm>
    <KMSMasterKeyID>9468da86-3509-4f8d-a61e-6eab1eac****</KMSMasterKeyID>
  </ApplyServerSideEncryptionByDefault>
</ServerSideEncryptionRule>`;

/** GO2: KMS with SM4 data encryption. */
export const ENCRYPTION_KMS_SM4_GO2 = `<ServerSideEncryptionRule>
  <ApplyServerSideEncryptionByDefault>
    <SSEAlgorithm>KMS</SSEAlgorithm>
    <KMSDataEncryption>SM4</KMSDataEncryption>
    <KMSMasterKeyID>9468da86-3509-4f8d-a61e-6eab1eac****</KMSMasterKeyID>
  </ApplyServerSideEncryptionByDefault>
</ServerSideEncryptionRule>`;

/** GO2: OSS-managed AES256. */
export const ENCRYPTION_AES256_GO2 = `<ServerSideEncryptionRule>
  <ApplyServerSideEncryptionByDefault>
    <SSEAlgorithm>AES256</SSEAlgorithm>
  </ApplyServerSideEncryptionByDefault>
</ServerSideEncryptionRule>`;

/** KMS with an OSS-managed key: the key id element present but empty. */
export const ENCRYPTION_KMS_DEFAULT_KEY =
  '<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>KMS</SSEAlgorithm>' +
  '<KMSMasterKeyID></KMSMasterKeyID></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>';

/** GO2: GetBucketEncryption on a missing bucket (404). */
export const ERROR_NO_SUCH_BUCKET_GO2 = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>NoSuchBucket</Code>
  <Message>The specified bucket does not exist.</Message>
  <RequestId>5C3D9175B6FC201293AD****</RequestId>
  <HostId>test.oss-cn-hangzhou.aliyuncs.com</HostId>
  <BucketName>test</BucketName>
  <EC>0015-00000101</EC>
</Error>`;

/** GO2: AccessDenied (403). */
export const ERROR_ACCESS_DENIED_GO2 = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>AccessDenied</Code>
  <Message>AccessDenied</Message>
  <RequestId>568D5566F2D0F89F5C0E****</RequestId>
  <HostId>test.oss.aliyuncs.com</HostId>
</Error>`;

/** No encryption rule (404, docs/wire/oss.md §5.2). */
export const ERROR_NO_RULE =
  '<Error><Code>NoSuchServerSideEncryptionRule</Code><Message>The server side encryption rule does not exist.</Message>' +
  '<RequestId>REQ-NO-RULE</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId><BucketName>b</BucketName>' +
  '<EC>0005-00000004</EC></Error>';

/** J1: RequestTimeTooSkewed; the server is one hour behind the request. */
export const ERROR_TIME_SKEWED_J1 =
  '<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message>' +
  '<RequestId>5C3D9175B6FC201293AD****</RequestId><HostId>oss-cn-hangzhou.aliyuncs.com</HostId>' +
  '<MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds><RequestTime>2025-04-10T11:00:57.000Z</RequestTime>' +
  '<ServerTime>2025-04-10T10:00:57.000Z</ServerTime><EC>0002-00000504</EC></Error>';

/** A throttling answer (503, docs/operations.md (retry table)). */
export const ERROR_META_QPS =
  '<Error><Code>MetaOperationQpsLimitExceeded</Code><Message>Please reduce your request rate.</Message>' +
  '<RequestId>REQ-QPS</RequestId><EC>0007-00000101</EC></Error>';

/** GO2: a ListTableBuckets page with a continuation token. */
export const LIST_TABLE_BUCKETS_GO2 =
  '{"continuationToken":"Cj5hY3M6b3NzdGFibGVzOmNuLWJlaWppbmc6MTc2MDIyNTU0NTA4NDMzMTpidWNrZXQvZGVtby13YWxrZXItMQ--",' +
  '"tableBuckets":[{"arn":"acs:osstables:cn-beijing:1234567890:bucket/demo-bucket","createdAt":"2026-04-02T05:27:31.000000+00:00",' +
  '"name":"demo-bucket","ownerAccountId":"1234567890","tableBucketId":"340c6672-0a1f-4426-aff9-1a8e2ac7b0f5","type":"customer"}]}';

/** The GetTableBucketEncryption doc sample (§7.3). */
export const TABLE_ENCRYPTION_AES256_DOC =
  '{"encryptionConfiguration":{"kmsKeyArn":"","sseAlgorithm":"AES256"}}';

/** GO2: Tables 404 for a missing table bucket (the body only has a message). */
export const TABLES_ERROR_NO_SUCH_BUCKET_GO2 = '{"message": "The specified bucket does not exist."}';

/** GO2: Tables 403 for a disabled user. */
export const TABLES_ERROR_USER_DISABLE_GO2 = '{"message": "UserDisable"}';

/**
 * GO2 oss/tables/client_mock_test.go (testMockListNamespacesSuccessCases): a ListNamespaces page
 * with a token. The key is spelt `Namespaces` there (Go reads JSON keys case-insensitively); PY2's
 * model and the docs spell it `namespaces`.
 */
export const LIST_NAMESPACES_GO2 = `{
  "continuationToken": "CgxteV9uYW1lc3BhY2U-",
  "Namespaces": [{
    "createdAt": "2026-04-03T08:54:25.205905+00:00",
    "createdBy": "1760225545089999",
    "namespace": ["my_namespace"],
    "namespaceId": "22af7160-82b5-4d6a-b9fb-4d14c6e01199",
    "ownerAccountId": "1760225545089999",
    "tableBucketId": "340c6672-0a1f-4426-aff9-1a8e2ac7b0f4"
  },
  {
     "createdAt": "2026-04-03T08:59:25.205905+00:00",
    "createdBy": "1760225545089999",
    "namespace": ["demo_namespace"],
    "namespaceId": "22af7160-82b5-4d6a-b9fb-4d14c6e01198",
    "ownerAccountId": "1760225545089999",
    "tableBucketId": "340c6672-0a1f-4426-aff9-1a8e2ac7b0f5"
  }]
}`;

/**
 * GO2 oss/tables/client_mock_test.go (testMockListTablesSuccessCases): a ListTables page with a
 * token; its table ARNs name the table bucket
 * `acs:osstables:ap-southeast-1:651322719100:bucket/donggu-table-bucket-test`.
 */
export const LIST_TABLES_GO2 = `{
  "continuationToken": "AAMA-EFRSURBSGk2VFNsQXNjVHQ2QU05UU5YN2xkME53VWI3U1B5RTl6WEh1UTRVc",
  "tables": [
    {
      "createdAt": "2026-04-07T02:15:12.186626+00:00",
      "modifiedAt": "2026-04-07T02:15:12.186626+00:00",
      "name": "example_table",
      "namespace": [
        "my_namespace"
      ],
      "tableARN": "acs:osstables:ap-southeast-1:651322719100:bucket/donggu-table-bucket-test/table/7568a090-50f8-4808-8c8d-930a2c264076",
      "type": "customer"
    },
    {
      "createdAt": "2026-04-07T02:15:12.186626+00:00",
      "modifiedAt": "2026-04-07T02:15:12.186626+00:00",
      "name": "example_table1",
      "namespace": [
        "my_namespace"
      ],
      "tableARN": "acs:osstables:ap-southeast-1:651322719100:bucket/donggu-table-bucket-test/table/757c17c1-532e-4a45-b5b3-d8783374fc2a",
      "type": "customer"
    }
  ]
}`;

/** GO2 oss/tables/api_op_table_encryption_test.go (TestUnmarshalOutput_GetTableEncryption). */
export const TABLE_ENCRYPTION_AES256_GO2 = `{
   "encryptionConfiguration": { 
      "kmsKeyArn": "",
      "sseAlgorithm": "AES256"
   }
}`;

/** GetTableEncryption with KMS, the key ARN as the doc page's example (help.aliyun.com GetTableEncryption). */
export const TABLE_ENCRYPTION_KMS_DOC =
  '{"encryptionConfiguration":{"kmsKeyArn":"acs:kms:cn-hangzhou:1234567890:key/key-id","sseAlgorithm":"KMS"}}';

/** GO2 oss/tables/client_mock_test.go (testMockDeleteNamespaceErrorCases): a missing namespace (404). */
export const TABLES_ERROR_NO_SUCH_NAMESPACE_GO2 = '{"message": "The specified namespace does not exist."}';
