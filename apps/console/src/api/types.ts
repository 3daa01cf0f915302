import type { components, operations } from './schema';

/** The API's shapes, as its OpenAPI document declares them (`npm run console:types`). */
type Schemas = components['schemas'];

export type Finding = Schemas['Finding'];
export type DriftEvent = Schemas['DriftEvent'];
export type Resource = Schemas['Resource'];
export type ResourceDetail = Schemas['ResourceDetail'];
export type ObservationChange = Schemas['ObservationChange'];
export type ResourceStateAt = Schemas['ResourceStateAt'];
export type Scan = Schemas['Scan'];
export type ScanCoverage = Scan['coverage'][number];
export type Summary = Schemas['Summary'];
export type TrendPoint = Summary['trend'][number];
export type AccountRegionPosture = Summary['byAccountRegion'][number];
export type ApiKeyIdentity = Schemas['ApiKeyIdentity'];
export type Account = Schemas['Account'];
export type ApiErrorBody = Schemas['Error'];
export type Exception = Schemas['Exception'];
export type ExceptionScope = Schemas['ExceptionScope'];
export type ExceptionChange = Schemas['ExceptionChange'];
export type ExceptionRequest = Schemas['ExceptionRequest'];
export type ExceptionState = Exception['state'];
export type FindingDetail = Schemas['FindingDetail'];
export type Remediation = Schemas['Remediation'];
export type RemediationTool = Remediation['steps'][number]['tool'];
export type ControlsReport = Schemas['ControlsReport'];
export type ControlScore = ControlsReport['controls'][number];
export type FrameworkScore = ControlsReport['frameworks'][number];
export type ResultCounts = ControlScore['counts'];
export type ControlDetail = Schemas['ControlDetail'];
export type ControlResult = Schemas['ControlResult'];
export type ControlStatus = ControlResult['status'];
export type AlertDelivery =
  operations['AlertsController_list']['responses'][200]['content']['application/json']['items'][number];

export type EncryptionClass = Finding['encryption']['class'];
export type Severity = Finding['severity'];
export type FindingRule = Finding['rule'];
export type ResourceKind = Finding['resource']['kind'];
export type ScanStatus = Scan['status'];
export type DriftType = DriftEvent['type'];
export type DriftDirection = NonNullable<DriftEvent['direction']>;
export type Role = ApiKeyIdentity['role'];

/** Query parameters of each list route, from the document. */
export type FindingsQuery = NonNullable<operations['FindingsController_list']['parameters']['query']>;
export type DriftQuery = NonNullable<operations['DriftController_list']['parameters']['query']>;
export type ResourcesQuery = NonNullable<operations['ResourcesController_list']['parameters']['query']>;
export type AlertsQuery = NonNullable<operations['AlertsController_list']['parameters']['query']>;
