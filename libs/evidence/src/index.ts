/** Compliance results: what exports speak, whatever produced them (findings now, controls next). */
export {
  findingResult,
  type ComplianceResult,
  type ComplianceStatus,
  type ResultLifecycle,
} from './compliance-result';
export { EvidenceError, type EvidenceErrorCode } from './evidence-error';
/** OCSF 1.8.0 Compliance Finding (class_uid 2003). */
export {
  COMPLIANCE_FINDING_CLASS_UID,
  OCSF_VERSION,
  toOcsfComplianceFinding,
  type OcsfEvent,
  type OcsfProduct,
} from './ocsf/ocsf-compliance-finding';
/** RFC 4180 CSV, formula-injection safe. */
export { csvRecord, neutraliseFormula, RESULT_CSV_COLUMNS, resultCsvCells } from './csv/csv-format';
export { EXPORT_FORMATS, EXPORT_MEDIA, exportLines, type ExportFormat } from './export-format';
/** The evidence pack: sections, the signed ZIP, its verification. */
export { escapeHtml, jsonLine, type EvidenceSection, type ReportPart } from './pack/evidence-section';
export { evidencePack, type EvidencePackRequest } from './pack/evidence-pack';
export {
  MANIFEST_FILE,
  PACK_FORMAT,
  PUBLIC_KEY_FILE,
  publicKeyFingerprint,
  SIGNATURE_FILE,
  type ManifestEntry,
  type PackManifest,
} from './pack/pack-manifest';
export { htmlTable, REPORT_FILE, reportHtml, type ReportHeader } from './pack/report-html';
export { verifyEvidencePack, type PackVerification } from './pack/verify-pack';
/** Packs and exports of the stored record. */
export { periodEvidencePack, SEED_PRODUCT, type PeriodEvidencePackRequest } from './period-evidence-pack';
export { periodSections, type CoverageRow, type PeriodSources } from './sections/period-sections';
export { EXPORT_PAGE_SIZE, everyRow } from './sections/paged';
export { findingsExport } from './findings-export';
/** Remediation guidance of a finding (read-only: text to review and run). */
export { findingRemediation, remediationSummary } from './finding-remediation';
