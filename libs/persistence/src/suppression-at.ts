import { compileNamePattern } from '@app/audit';
import type { ComplianceException } from '@app/compliance';

/**
 * The scopes and rules of some exceptions as one JSON parameter for {@link suppressedFindingSql}.
 * Name globs become the anchored regular expressions `scopeMatches` tests, which Postgres reads
 * the same way.
 */
export function suppressingScopesParameter(exceptions: readonly ComplianceException[]): string {
  return JSON.stringify(
    exceptions
      .filter((exception) => exception.findingRules.length > 0)
      .map(({ scope, findingRules }) =>
        scope.type === 'resource'
          ? { rules: findingRules, resource_key: scope.resourceKey }
          : {
              rules: findingRules,
              account_alias: scope.accountAlias,
              region: scope.region,
              kind: scope.resourceKind,
              patterns: scope.namePatterns.map((pattern) => compileNamePattern(pattern).source),
            },
      ),
  );
}

/**
 * True for a finding (`f`, on resource `r`) that one of the exceptions in the JSON parameter
 * (`suppressingScopesParameter`) covers: its rule, and its resource by key or by account, region,
 * kind and name glob, as `activeExceptionsFor` decides.
 */
export function suppressedFindingSql(parameter: string): string {
  return `EXISTS (
    SELECT 1 FROM jsonb_to_recordset(${parameter}::jsonb)
      AS a("rules" text[], "resource_key" text, "account_alias" text, "region" text, "kind" text, "patterns" text[])
    WHERE f."rule" = ANY(a."rules") AND (
      r."resource_key" = a."resource_key"
      OR (a."resource_key" IS NULL AND r."account_alias" = a."account_alias"
        AND (a."region" IS NULL OR r."region" = a."region") AND (a."kind" IS NULL OR r."kind" = a."kind")
        AND r."name" ~ ANY(a."patterns"))
    )
  )`;
}
