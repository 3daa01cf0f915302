export {
  catalogueProblems,
  frameworkControlIds,
  type Control,
  type ControlCatalogue,
  type ControlSource,
  type Framework,
  type FrameworkRequirement,
  type RuleId,
} from './catalogue/catalogue';
export { controlFindingScope, type ControlFindingScope } from './catalogue/control-findings';
export { CIS_CONTROLS, CLOUD_CONFIG_CONTROLS, SEED_CONTROLS } from './catalogue/controls';
export { DEFAULT_CATALOGUE } from './catalogue/default-catalogue';
export {
  CIS_FRAMEWORK,
  ISO_27001_FRAMEWORK,
  MLPS_LEVEL_3_FRAMEWORK,
  PCI_DSS_FRAMEWORK,
  SEED_BASELINE_FRAMEWORK,
} from './catalogue/frameworks';
export { ComplianceError, type ComplianceErrorCode } from './compliance-error';
export { evaluateControls, type ControlResult, type ControlStatus } from './evaluation';
export { factsOfEvaluationInput } from './evaluation-input-facts';
export {
  activeExceptionsFor,
  approveException,
  exceptionMatches,
  exceptionStateAt,
  exceptionsExpiringWithin,
  isStaleException,
  revokeException,
  samePerson,
  scopeMatches,
  staleExceptions,
  type ComplianceException,
  type ExceptionChange,
  type ExceptionScope,
  type ExceptionSource,
  type ExceptionState,
  type ExceptionTarget,
} from './exceptions/exception';
export {
  exceptionAlertPayload,
  exceptionAlerts,
  type ExceptionAlert,
  type ExceptionAlertInput,
  type StaleExceptionMark,
} from './exceptions/exception-alerts';
export {
  EXCEPTIONS_FILE_VERSION,
  FILE_EXCEPTION_ID_PREFIX,
  parseExceptionsFile,
} from './exceptions/exception-file';
export {
  exceptionChangeRecord,
  fileExceptionChanges,
  type ExceptionAction,
  type ExceptionChangeRecord,
} from './exceptions/exception-record';
export {
  createException,
  DEFAULT_EXCEPTION_POLICY,
  validateExceptionRequest,
  type ExceptionPolicy,
  type ExceptionRequest,
  type ExceptionValidationContext,
} from './exceptions/exception-validation';
export type { FieldProblem, Validated } from './exceptions/field-reader';
export {
  KEY_ARN_PLACEHOLDER,
  KEY_ID_PLACEHOLDER,
  remediationFor,
  remediationForFinding,
  renderRemedy,
  type HttpRequestText,
  type Remediation,
  type RemediationStep,
  type RemediationTool,
} from './remediation/remediation';
export type { RemedyIntent } from './remediation/remedy-intent';
export {
  COMPLIANCE_RESOURCE_KINDS,
  isServiceKey,
  isSymmetricKeySpec,
  type ComplianceResourceKind,
  type ComplianceResourceRef,
  type KeyAssessment,
  type KeyFacts,
  type KeyRotationStatus,
  type KeyState,
  type ResourceFacts,
} from './resource-facts';
export { DEFAULT_COMPLIANCE_POLICY, describeEncryption, type CompliancePolicy, type Evidence } from './rules';
export {
  countByStatus,
  scoreByControl,
  scoreByFramework,
  scoreOf,
  type ControlScore,
  type FrameworkScore,
  type Score,
  type StatusCounts,
  type StatusOf,
} from './scores';
