/** What a 404 of OSS Tables says does not exist. */
export type TablesMissingResource = 'table_bucket' | 'namespace' | 'table' | 'encryption_configuration';

/** The fields of an error answer that tell what is missing (a ServiceErrorDetails or OssErrorInfo). */
export interface NotFoundEvidence {
  readonly httpStatus: number | null;
  readonly code: string;
  readonly message: string;
  readonly ec: string | null;
}

// GO2 oss/tables/client_mock_test.go: a missing table bucket is 404 `{"message": "The specified
// bucket does not exist."}` with x-oss-ec 0015-00000101; a missing namespace is 404 `{"message":
// "The specified namespace does not exist."}` (DeleteNamespace fixture, same EC there).
const BUCKET_MISSING_EC = '0015-00000101';
const ENCRYPTION = /encryption/i;
const NAMESPACE_MISSING = /NoSuchNamespace|namespace (?:does not|doesn't) exist|namespace not found/i;
// No source shows a missing table's answer; we assume the same wording as its siblings. The code
// pattern must not take NoSuchTableBucket for a table.
const TABLE_MISSING = /NoSuchTable(?!Bucket)|\btable (?:does not|doesn't) exist|\btable not found/i;
const BUCKET_MISSING = /NoSuch(?:Table)?Bucket|bucket (?:does not|doesn't) exist/i;

/**
 * Reads a 404 of OSS Tables: the Tables error type is `NotFoundException` whatever is missing, so
 * the message (and a JSON `Error.Code`, when the service sends one) decide. The EC alone means a
 * missing table bucket only when nothing more specific is said (the GO2 fixtures reuse it for a
 * namespace). Null for other statuses and for a 404 that names nothing we know.
 */
export function tablesMissingResource(error: NotFoundEvidence): TablesMissingResource | null {
  if (error.httpStatus !== 404) return null;
  const text = `${error.code} ${error.message}`;
  if (ENCRYPTION.test(text)) return 'encryption_configuration';
  if (NAMESPACE_MISSING.test(text)) return 'namespace';
  if (TABLE_MISSING.test(text)) return 'table';
  if (BUCKET_MISSING.test(text) || error.ec === BUCKET_MISSING_EC) return 'table_bucket';
  return null;
}
