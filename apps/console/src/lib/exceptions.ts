import type { ExceptionScope, ExceptionState, ResourceKind } from '../api/types';
import { KIND_LABELS } from './vocabulary';

export const EXCEPTION_STATE_LABELS: Readonly<Record<ExceptionState, string>> = {
  pending_approval: 'Pending approval',
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
  removed: 'Removed from the file',
};

/** What a resource is to an exception's scope: its key, and where and what it is. */
export interface ScopedResource {
  readonly resourceKey: string;
  readonly accountAlias: string;
  readonly region: string;
  readonly kind: ResourceKind;
  readonly name: string;
}

/** `*` any run of characters, `?` one; the rest literal, the whole name matched (as the server does). */
function globPattern(glob: string): RegExp {
  const body = Array.from(glob, (char) =>
    char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&'),
  ).join('');
  return new RegExp(`^${body}$`, 'su');
}

/**
 * True when the scope names the resource: by its key, or by account, optional region and kind, and
 * one of its name globs. The same test the server applies when it suppresses, so the resource page
 * lists the exceptions that can cover it (whether they do depends on their state and rules).
 */
export function scopeCovers(scope: ExceptionScope, resource: ScopedResource): boolean {
  if (scope.type === 'resource') return scope.resourceKey === resource.resourceKey;
  return (
    scope.accountAlias === resource.accountAlias &&
    (scope.region === null || scope.region === resource.region) &&
    (scope.resourceKind === null || scope.resourceKind === resource.kind) &&
    scope.namePatterns.some((pattern) => globPattern(pattern).test(resource.name))
  );
}

/** The scope in words: `oss:logs`, or `names logs-*, tmp-? in prod (cn-hangzhou, buckets)`. */
export function describeScope(scope: ExceptionScope): string {
  if (scope.type === 'resource') return scope.resourceKey;
  const where = [
    scope.region,
    scope.resourceKind === null ? null : `${KIND_LABELS[scope.resourceKind].toLowerCase()}s`,
  ].filter((part): part is string => part !== null);
  const names = `names ${scope.namePatterns.join(', ')} in ${scope.accountAlias}`;
  return where.length === 0 ? names : `${names} (${where.join(', ')})`;
}

/**
 * The problems of a refused exception request, by the form field they belong to. The API names
 * every problem in its message (`reason: must be at least 10 characters; scope.resourceKey: is
 * required`); a path within the scope keeps its sub-field (`scope.resourceKey`), a list item its
 * list (`controlIds[2]` is `controlIds`). What names no field is under `''`.
 */
export function problemsByField(message: string, parameter: string | undefined): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (field: string, text: string) => {
    (problems[field] ??= []).push(text);
  };
  for (const part of message.split('; ')) {
    const match = /^([A-Za-z][\w.[\]]*): (.+)$/su.exec(part);
    if (match === null) {
      add(parameter === undefined || parameter === 'body' ? '' : formField(parameter), part);
      continue;
    }
    add(formField(match[1] ?? ''), match[2] ?? '');
  }
  return problems;
}

function formField(path: string): string {
  const [head = '', second] = path.replace(/\[\d+\]/g, '').split('.');
  return head === 'scope' && second !== undefined ? `scope.${second}` : head;
}
