import { approveException, createException, type ExceptionRequest } from '@app/compliance';
import { ExceptionRepository } from '@app/persistence';
import type { DataSource } from 'typeorm';

/** Who creates and who approves the exceptions of {@link storeApprovedException}. */
export const EXCEPTION_CREATOR = 'erin@example.com';
export const EXCEPTION_APPROVER = 'bob@example.com';

/**
 * Stores an API exception created a minute before `at` and approved 30 s before it, so that it is
 * active at `at`, through the repository (with its change record), for tests of what reads them.
 */
export async function storeApprovedException(
  dataSource: DataSource,
  id: string,
  request: Omit<ExceptionRequest, 'owner' | 'approver'> & { readonly owner?: string },
  at: Date,
): Promise<void> {
  const created = createException(
    { owner: EXCEPTION_CREATOR, approver: EXCEPTION_APPROVER, ...request },
    { id, createdBy: EXCEPTION_CREATOR, at: new Date(at.getTime() - 60_000) },
  );
  if (!created.ok) throw new Error(`Invalid test exception: ${JSON.stringify(created.problems)}`);
  const repository = new ExceptionRepository(dataSource);
  await repository.create(created.value);
  await repository.change(id, (current) =>
    approveException(current, { by: EXCEPTION_APPROVER, at: new Date(at.getTime() - 30_000) }),
  );
}
