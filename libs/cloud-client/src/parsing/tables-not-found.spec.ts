import { tablesMissingResource } from './tables-not-found';

function notFound(message: string, code = 'NotFoundException', ec: string | null = null) {
  return { httpStatus: 404, code, message, ec };
}

describe('tablesMissingResource', () => {
  it.each([
    [
      'the GO2 missing table bucket',
      notFound('The specified bucket does not exist.', 'Not Found', '0015-00000101'),
      'table_bucket',
    ],
    // GO2 reuses the bucket EC on its missing-namespace fixture: the message must win.
    [
      'the GO2 missing namespace',
      notFound('The specified namespace does not exist.', 'Not Found', '0015-00000101'),
      'namespace',
    ],
    ['a missing table (assumed wording)', notFound('The specified table does not exist.'), 'table'],
    [
      'a missing encryption configuration',
      notFound('The specified encryption configuration does not exist.'),
      'encryption_configuration',
    ],
    ['a JSON NoSuchBucket code', notFound('gone', 'NoSuchBucket'), 'table_bucket'],
    ['a JSON NoSuchTableBucket code', notFound('gone', 'NoSuchTableBucket'), 'table_bucket'],
    ['a JSON NoSuchTable code', notFound('gone', 'NoSuchTable'), 'table'],
    ['a JSON NoSuchNamespace code', notFound('gone', 'NoSuchNamespace'), 'namespace'],
    [
      'a missing table bucket spelt out',
      notFound('The specified table bucket does not exist.'),
      'table_bucket',
    ],
    ['only the bucket EC', notFound('Not found.', 'NotFoundException', '0015-00000101'), 'table_bucket'],
  ])('reads %s', (_label, error, expected) => {
    expect(tablesMissingResource(error)).toBe(expected);
  });

  it('names nothing for a 404 that says nothing it knows', () => {
    expect(tablesMissingResource(notFound('Not found.'))).toBeNull();
  });

  it('names nothing for another status, whatever the message', () => {
    expect(
      tablesMissingResource({
        httpStatus: 403,
        code: 'ForbiddenException',
        message: 'The specified table does not exist.',
        ec: null,
      }),
    ).toBeNull();
    expect(
      tablesMissingResource({
        httpStatus: null,
        code: 'ECONNRESET',
        message: 'bucket does not exist',
        ec: null,
      }),
    ).toBeNull();
  });
});
