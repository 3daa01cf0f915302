import { SEVERITIES, type DriftSnapshot, type Severity } from '@app/audit';
import {
  exceptionStateAt,
  scoreByControl,
  scoreByFramework,
  type ControlCatalogue,
  type ControlResult,
  type Score,
} from '@app/compliance';
import type { FleetSpec } from '@app/oss-emulator';
import type { DriftEventView, OpenFindingCount, StoredException } from '@app/persistence';

import { changeTarget, type FleetChange } from './demo-fleet';

const MOST_SEVERE_FIRST: readonly Severity[] = [...SEVERITIES].reverse();

/** The emulated accounts, as the auditor's configuration names them (`account-<n>`). */
export function formatFleet(fleet: FleetSpec): string {
  return fleet.accounts
    .map((account, index) => {
      const denied = account.buckets.filter((bucket) => bucket.deny !== undefined).length;
      return (
        `account-${(index + 1).toString()} (uid ${account.id}): ${account.buckets.length.toString()} buckets` +
        `${denied > 0 ? ` (${denied.toString()} deny the auditor)` : ''}, ` +
        `${account.tableBuckets.length.toString()} table buckets`
      );
    })
    .join('\n');
}

/** What the demo changed between its scans, and what the auditor should make of it. */
export function formatFleetChanges(changes: readonly FleetChange[]): string {
  const width = Math.max(...changes.map((change) => change.kind.length));
  return [
    `Changed between the scans (${changes.length.toString()} calls, signed like any OSS client's):`,
    ...changes.map(
      (change) =>
        `  ${change.kind.padEnd(width)}  ${changeTarget(change)}\n  ${' '.repeat(width)}  -> ${change.expected}`,
    ),
  ].join('\n');
}

/** Open findings per severity, most severe first, with the rules behind each count. */
export function formatOpenFindings(counts: readonly OpenFindingCount[]): string {
  const total = counts.reduce((sum, row) => sum + row.count, 0);
  const lines = [`Open findings: ${total.toString()}`];
  for (const severity of MOST_SEVERE_FIRST) {
    const byRule = new Map<string, number>();
    for (const row of counts) {
      if (row.severity === severity) byRule.set(row.rule, (byRule.get(row.rule) ?? 0) + row.count);
    }
    if (byRule.size === 0) continue;
    const sum = [...byRule.values()].reduce((a, b) => a + b, 0);
    const rules = [...byRule.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([rule, count]) => `${rule} ${count.toString()}`)
      .join(', ');
    lines.push(`  ${severity.padEnd(8)} ${sum.toString().padStart(4)}  (${rules})`);
  }
  return lines.join('\n');
}

/** A scan's drift events: direction (or appearance), resource, before -> after. */
export function formatDriftEvents(scanId: number, events: readonly DriftEventView[]): string {
  const tally = new Map<string, number>();
  for (const event of events) tally.set(driftLabel(event), (tally.get(driftLabel(event)) ?? 0) + 1);
  const counts = [...tally.entries()].map(([label, count]) => `${count.toString()} ${label}`).join(', ');
  const lines = [
    `Drift detected by scan ${scanId.toString()}: ${events.length.toString()} events${counts === '' ? '' : ` (${counts})`}`,
  ];
  const ordered = [...events].sort(
    (a, b) => driftLabel(a).localeCompare(driftLabel(b)) || a.resource.name.localeCompare(b.resource.name),
  );
  for (const event of ordered) {
    const where = `${event.resource.accountAlias}/${event.resource.region}`;
    lines.push(
      `  ${driftLabel(event).padEnd(12)} ${event.resource.kind.padEnd(12)} ${event.resource.name} (${where}): ` +
        `${describeSnapshot(event.before)} -> ${describeSnapshot(event.after)}`,
    );
  }
  return lines.join('\n');
}

function driftLabel(event: DriftEventView): string {
  switch (event.kind) {
    case 'encryption_changed':
      return event.direction ?? 'changed';
    case 'appeared':
    case 'disappeared':
      return event.kind;
  }
}

function describeSnapshot(snapshot: DriftSnapshot | null): string {
  if (snapshot === null) return '(absent)';
  if (snapshot.keyState !== undefined) return describeKeySnapshot(snapshot);
  const details = [
    snapshot.algorithm,
    snapshot.kmsDataEncryption === null ? null : `data ${snapshot.kmsDataEncryption}`,
    snapshot.kmsKeyId === null ? null : `key ${snapshot.kmsKeyId}`,
  ].filter((part): part is string => part !== null);
  return details.length === 0
    ? snapshot.encryptionClass
    : `${snapshot.encryptionClass} [${details.join(', ')}]`;
}

/** A KMS key as its state: what makes it usable, and what protects it. */
function describeKeySnapshot(snapshot: DriftSnapshot): string {
  const details = [
    snapshot.keyState ?? null,
    snapshot.deleteDate == null ? null : `deletes ${snapshot.deleteDate.slice(0, 10)}`,
    snapshot.automaticRotation == null ? null : `rotation ${snapshot.automaticRotation}`,
    snapshot.deletionProtection == null ? null : `deletion protection ${snapshot.deletionProtection}`,
  ].filter((part): part is string => part !== null);
  return `${snapshot.encryptionClass} [${details.join(', ')}]`;
}

/** The keys the demo minted, and calls that work copied as they are. */
export interface ApiAccess {
  readonly baseUrl: string;
  readonly adminToken: string;
  readonly readerToken: string;
}

/**
 * Where the web console is, and which key to sign in with. The key is printed beside the URL,
 * never in it: the console takes keys only from its sign-in form. Without `keys` (the demo's
 * `--exit` run, whose keys die with it) only the URL.
 */
export function formatConsoleAccess(access: ApiAccess, keys = true): string {
  const url = `Web console: ${access.baseUrl}/console/`;
  if (!keys) return `${url} (served and checked; npm run demo without --exit prints keys to sign in with)`;
  return [
    url,
    `  sign in with the admin key (can start scans): ${access.adminToken}`,
    `  or the reader key (read only):                ${access.readerToken}`,
  ].join('\n');
}

/** How to reach the API the demo leaves running: the console, its keys and a few `curl` lines. */
export function formatApiAccess(access: ApiAccess): string {
  const reader = `-H "Authorization: Bearer ${access.readerToken}"`;
  const admin = `-H "Authorization: Bearer ${access.adminToken}"`;
  return [
    formatConsoleAccess(access),
    '',
    `API listening on ${access.baseUrl} (OpenAPI: ${access.baseUrl}/docs)`,
    `  admin key:  ${access.adminToken}`,
    `  reader key: ${access.readerToken}`,
    '  (shown once; stored only as hashes)',
    '',
    'Try:',
    `  curl -s ${access.baseUrl}/healthz`,
    `  curl -s ${reader} "${access.baseUrl}/v1/summary"`,
    `  curl -s ${reader} "${access.baseUrl}/v1/findings?severity=high&limit=5"`,
    `  curl -s ${reader} "${access.baseUrl}/v1/drift?direction=weakened"`,
    `  curl -s ${reader} "${access.baseUrl}/v1/resources?class=none&limit=5"`,
    `  curl -s ${reader} "${access.baseUrl}/v1/scans"`,
    `  curl -s -X POST ${admin} "${access.baseUrl}/v1/scans"`,
    `  curl -s ${access.baseUrl}/metrics | grep -E "^seed_(open_findings|resources)"`,
  ].join('\n');
}

/** The exception the demo made, as the API shows it (state now, what it covers, who is accountable). */
export function formatException(stored: StoredException, at: Date): string {
  const { exception } = stored;
  const state = stored.removedAt === null ? exceptionStateAt(exception, at) : 'removed';
  const scope =
    exception.scope.type === 'resource'
      ? exception.scope.resourceKey
      : `${exception.scope.accountAlias}: ${exception.scope.namePatterns.join(', ')}`;
  return [
    `Exception ${exception.id} (${exception.source}), ${state}${stored.staleSince === null ? '' : ', stale'}`,
    `  scope ${scope}; covers ${[...exception.controlIds, ...exception.findingRules].join(', ')}`,
    `  owner ${exception.owner}, approved by ${exception.approvedBy ?? '-'}, expires ${exception.expiresAt.toISOString()}`,
    `  ${exception.reason} (${exception.ticketUrl})`,
  ].join('\n');
}

/** Each framework's and control's score: pass / judged, with suppressed results counted apart. */
export function formatControlScores(results: readonly ControlResult[], catalogue: ControlCatalogue): string {
  const line = (label: string, score: Score): string => {
    const { counts } = score;
    const percent = score.score === null ? '  n/a' : `${(score.score * 100).toFixed(0).padStart(4)}%`;
    return (
      `  ${percent}  ${label.padEnd(52)} pass ${counts.pass.toString()}, fail ${counts.fail.toString()}, ` +
      `warning ${counts.warning.toString()}, suppressed ${counts.suppressed.toString()}`
    );
  };
  return [
    'Frameworks:',
    ...scoreByFramework(results, catalogue).map((score) => line(score.frameworkId, score)),
    'Controls:',
    ...scoreByControl(results, catalogue).map((score) => line(score.controlId, score)),
  ].join('\n');
}
