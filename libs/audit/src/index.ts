export {
  ALERT_EVENT_TYPES,
  alertDedupeKey,
  type AlertEventType,
  type AlertPayloads,
  type AlertResourcePayload,
  type EncryptionSummary,
  type EncryptionWeakenedPayload,
  type FindingOpenedPayload,
  type WeakeningAlertSeverities,
} from './alerts';
export { AuditError, type AuditErrorCode } from './audit-error';
export {
  classifyBucketEncryption,
  classifyTableBucketEncryption,
  UNRECOGNISED_ALGORITHM,
  UNSPECIFIED_ERROR,
  type BucketEncryptionResult,
  type BucketEncryptionRuleInput,
  type ServiceErrorInput,
  type TableBucketEncryptionConfigurationInput,
  type TableBucketEncryptionResult,
} from './classification';
export {
  ENCRYPTION_CLASSES,
  FINDING_RULES,
  RESOURCE_KINDS,
  SEVERITIES,
  type DriftDirection,
  type DriftKind,
  type EncryptionClass,
  type EncryptionObservation,
  type FindingRule,
  type KeyFacts,
  type ResourceKind,
  type ResourceRef,
  type Severity,
} from './domain';
export {
  diffEncryption,
  ENCRYPTION_STRENGTH,
  isAlertableDrift,
  type DriftChange,
  type DriftField,
  type ObservedEncryptionClass,
} from './drift';
export {
  createResourceEvaluator,
  evaluateResource,
  type AlertToQueue,
  type DriftSnapshot,
  type DriftToRecord,
  type FindingResolution,
  type FindingToKeep,
  type FindingToOpen,
  type FindingToResolve,
  type ObservedChange,
  type OpenFindingRef,
  type ResourceEvaluationInput,
  type ResourceEvaluationOutput,
  type ResourceEvaluator,
} from './evaluation';
export {
  findingKey,
  reconcileFindings,
  type FindingReconciliation,
  type FindingReconciliationInput,
  type NewFinding,
  type OpenFinding,
  type StillOpenFinding,
} from './finding-lifecycle';
export {
  CLASS_RULES,
  CONTEXT_RULES,
  DEFAULT_FINDING_POLICY,
  evaluateFindings,
  judgeResource,
  NO_CONTEXT,
  type ClassRule,
  type ContextRule,
  type FindingContext,
  FLAGGABLE_ENCRYPTION_CLASSES,
  isApprovedKmsKey,
  isCompleteObservation,
  type ClassSeverities,
  type FindingPolicy,
  type FlaggableEncryptionClass,
  type RequiredFinding,
} from './finding-policy';
export {
  accountOfKeyArn,
  assessKey,
  classifyKeyDescription,
  daysUntilDeletion,
  isServiceKey,
  KEY_NOT_APPLICABLE,
  keyIdOfArn,
  describedKeyResourceKey,
  kmsKeyResourceKey,
  OSS_SERVICE_KEY_ALIAS,
  withKeyFacts,
  type KeyAssessment,
  type KeyDescriptionInput,
} from './key-facts';
export { compileNamePattern, compileNameScope, type NameScope } from './name-scope';
export { observationHash } from './observation-hash';
export {
  bucketResourceKey,
  parseTableBucketArn,
  tableBucketArn,
  type TableBucketArnParts,
  type TableBucketArnParseResult,
} from './resource-identity';
export { compareSeverity, isSeverityAtLeast } from './severity';
