import type { Severity } from '@app/audit';

import type { ComplianceResult } from '../compliance-result';

/** The OCSF release the events follow (`metadata.version`). */
export const OCSF_VERSION = '1.8.0';
/** Findings category (2) * 1000 + Compliance Finding (3). */
export const COMPLIANCE_FINDING_CLASS_UID = 2003;
const FINDINGS_CATEGORY_UID = 2;

/** Who produced the events: `metadata.product`. */
export interface OcsfProduct {
  readonly name: string;
  readonly vendorName: string;
  readonly version: string;
}

/** One OCSF 1.8.0 Compliance Finding event, as plain JSON. */
export type OcsfEvent = Readonly<Record<string, unknown>>;

const ACTIVITY = { create: [1, 'Create'], update: [2, 'Update'], close: [3, 'Close'] } as const;

const SEVERITY_ID: Readonly<Record<Severity, readonly [number, string]>> = {
  info: [1, 'Informational'],
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
  critical: [5, 'Critical'],
};

/** `compliance.status_id`: 1 Pass, 2 Warning, 3 Fail (objects/compliance.json). */
const COMPLIANCE_STATUS = { pass: [1, 'Pass'], warning: [2, 'Warning'], fail: [3, 'Fail'] } as const;

/** Finding `status_id` (events/findings/finding.json). */
const FINDING_STATUS = {
  new: [1, 'New'],
  suppressed: [3, 'Suppressed'],
  resolved: [4, 'Resolved'],
  archived: [5, 'Archived'],
} as const;

const CLOSED_DETAIL = {
  fixed: 'Resolved: a complete observation no longer shows it',
  resource_deleted: 'Archived: the resource was deleted',
  out_of_scope: 'Archived: the configuration no longer covers the resource (nothing was fixed)',
} as const;

/**
 * A compliance result as an OCSF Compliance Finding (class_uid 2003) with the `cloud` profile.
 * Pure: the same result gives the same event.
 *
 * - compliance status: pass 1, warning 2 (could not be evaluated: unverifiable), fail 3; a suppressed
 *   result reports what it would have been, and the finding status says Suppressed (3).
 * - finding status: open New (1); closed as fixed Resolved (4); closed because the resource was
 *   deleted or left the scope Archived (5): nothing was remediated.
 * - activity: Close when closed, Update when seen by more than one scan, else Create.
 */
export function toOcsfComplianceFinding(result: ComplianceResult, product: OcsfProduct): OcsfEvent {
  const verdict = result.status === 'suppressed' ? (result.suppressedStatus ?? 'fail') : result.status;
  const [complianceStatusId, complianceStatus] = COMPLIANCE_STATUS[verdict];
  const [statusId, status] =
    result.lifecycle.state === 'closed'
      ? FINDING_STATUS[result.lifecycle.reason === 'fixed' ? 'resolved' : 'archived']
      : FINDING_STATUS[result.status === 'suppressed' ? 'suppressed' : 'new'];
  const [activityId, activityName] =
    result.lifecycle.state === 'closed'
      ? ACTIVITY.close
      : result.lastSeenAt.getTime() > result.firstSeenAt.getTime()
        ? ACTIVITY.update
        : ACTIVITY.create;
  const [severityId, severity] = SEVERITY_ID[result.severity];
  const time = result.lifecycle.state === 'closed' ? result.lifecycle.at : result.lastSeenAt;
  return {
    activity_id: activityId,
    activity_name: activityName,
    category_uid: FINDINGS_CATEGORY_UID,
    category_name: 'Findings',
    class_uid: COMPLIANCE_FINDING_CLASS_UID,
    class_name: 'Compliance Finding',
    type_uid: COMPLIANCE_FINDING_CLASS_UID * 100 + activityId,
    type_name: `Compliance Finding: ${activityName}`,
    severity_id: severityId,
    severity,
    status_id: statusId,
    status,
    ...(result.lifecycle.state === 'closed' ? { status_detail: CLOSED_DETAIL[result.lifecycle.reason] } : {}),
    time: time.getTime(),
    message: result.message,
    metadata: {
      version: OCSF_VERSION,
      uid: result.uid,
      profiles: ['cloud'],
      product: { name: product.name, vendor_name: product.vendorName, version: product.version },
    },
    cloud: {
      provider: 'Alibaba Cloud',
      region: result.resource.region,
      account: { name: result.resource.accountAlias },
    },
    finding_info: {
      uid: result.lineageKey,
      title: result.check.title,
      desc: result.message,
      types: [result.check.id],
      first_seen_time: result.firstSeenAt.getTime(),
      last_seen_time: result.lastSeenAt.getTime(),
      created_time: result.firstSeenAt.getTime(),
    },
    compliance: {
      control: result.check.id,
      standards: result.check.standards.length === 0 ? ['Seed finding rules'] : [...result.check.standards],
      status_id: complianceStatusId,
      status: complianceStatus,
      ...(result.status === 'suppressed' ? { status_detail: 'Suppressed by an accepted exception' } : {}),
    },
    resources: [
      {
        uid: result.resource.key,
        name: result.resource.name,
        type: result.resource.kind,
        region: result.resource.region,
        provider: 'Alibaba Cloud',
        cloud_partition: 'alibabacloud',
      },
    ],
    ...(result.remediation === null
      ? {}
      : {
          remediation: {
            desc: result.remediation.summary,
            references: [...result.remediation.references],
          },
        }),
    unmapped: { ...result.evidence },
  };
}
