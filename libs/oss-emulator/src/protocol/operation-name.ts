/** Operations the emulator serves; also the unit of denial and fault matching. */
export type OperationName =
  | 'ListBuckets'
  | 'GetBucketEncryption'
  | 'PutBucketEncryption'
  | 'DeleteBucketEncryption'
  | 'DeleteBucket'
  | 'ListTableBuckets'
  | 'GetTableBucketEncryption'
  | 'PutTableBucketEncryption'
  | 'DeleteTableBucketEncryption'
  | 'ListNamespaces'
  | 'ListTables'
  | 'GetTableEncryption'
  | 'DescribeKey'
  | 'ListAccounts'
  | 'AssumeRole';
