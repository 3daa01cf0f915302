import { ComplianceError } from '../compliance-error';
import { AT, exceptionOf, thrownBy } from '../testing/facts';
import { exceptionChangeRecord, fileExceptionChanges } from './exception-record';

const fileException = (id: string, overrides = {}) =>
  exceptionOf({ id: `file:${id}`, source: 'file', ...overrides });

describe('exceptionChangeRecord', () => {
  it('lists every field when an exception comes into being', () => {
    const record = exceptionChangeRecord({
      action: 'created',
      actor: 'alice',
      at: AT,
      before: null,
      after: exceptionOf(),
    });
    expect(record.changedFields).toHaveLength(17);
    expect(record).toMatchObject({
      exceptionId: 'exc-1',
      action: 'created',
      actor: 'alice',
      at: AT,
      note: null,
    });
  });

  it('lists the fields that differ, comparing instants by value', () => {
    const before = exceptionOf();
    const after = {
      ...before,
      createdAt: new Date(before.createdAt.getTime()),
      reason: 'A different reason now',
    };
    expect(
      exceptionChangeRecord({ action: 'file_changed', actor: 'deploy', at: AT, before, after }).changedFields,
    ).toEqual(['reason']);
  });

  it.each([
    ['a creation with a before', { action: 'created', before: exceptionOf(), after: exceptionOf() }],
    ['an approval without a before', { action: 'approved', before: null, after: exceptionOf() }],
    ['a removal with an after', { action: 'file_removed', before: exceptionOf(), after: exceptionOf() }],
    [
      'a change of one exception into another',
      { action: 'revoked', before: exceptionOf(), after: exceptionOf({ id: 'b' }) },
    ],
  ] as const)('refuses %s', (_, change) => {
    const error = thrownBy(() => exceptionChangeRecord({ ...change, actor: 'x', at: AT }));
    expect(error).toBeInstanceOf(ComplianceError);
    expect((error as ComplianceError).code).toBe('INVALID_CHANGE');
  });
});

describe('fileExceptionChanges', () => {
  it('records additions, changes and removals between two loads of the file, and nothing for the unchanged', () => {
    const kept = fileException('kept');
    const changed = fileException('changed');
    const removed = fileException('removed');
    const added = fileException('added');
    const records = fileExceptionChanges(
      [kept, changed, removed, exceptionOf({ id: 'api-1' })],
      [kept, { ...changed, expiresAt: new Date('2025-09-30T00:00:00Z') }, added],
      { actor: 'deploy@ci', at: AT },
    );
    expect(records.map((record) => [record.action, record.exceptionId, record.changedFields.length])).toEqual(
      [
        ['file_changed', 'file:changed', 1],
        ['file_added', 'file:added', 17],
        ['file_removed', 'file:removed', 17],
      ],
    );
    expect(records.every((record) => record.actor === 'deploy@ci' && record.at === AT)).toBe(true);
  });
});
