import type { DataSource } from 'typeorm';

/** What one scan recorded about one resource, as stored (the change row it points at). */
export interface RecordedObservation {
  readonly encryptionClass: string;
  readonly algorithm: string | null;
  readonly kmsKeyId: string | null;
  readonly kmsDataEncryption: string | null;
  readonly errorCode: string | null;
}

/** A finding as stored, by the columns tests compare. */
export interface RecordedFinding {
  readonly id: string;
  readonly resourceKey: string;
  readonly rule: string;
  readonly severity: string;
  readonly status: string;
  readonly resolution: string | null;
  readonly openedScanId: number;
  readonly resolvedScanId: number | null;
}

/** The observations of a scan, by resource key. */
export async function scanObservations(
  dataSource: DataSource,
  scanId: number,
): Promise<Map<string, RecordedObservation>> {
  const rows = await dataSource.query<
    {
      resource_key: string;
      encryption_class: string;
      algorithm: string | null;
      kms_key_id: string | null;
      kms_data_encryption: string | null;
      error_code: string | null;
    }[]
  >(
    `SELECT r."resource_key", c."encryption_class", c."algorithm", c."kms_key_id", c."kms_data_encryption",
       c."error_code"
     FROM "scan_observations" so
     JOIN "resources" r ON r."id" = so."resource_id"
     JOIN "observation_changes" c ON c."id" = so."change_id" AND c."resource_id" = so."resource_id"
     WHERE so."scan_id" = $1`,
    [scanId],
  );
  return new Map(
    rows.map((row) => [
      row.resource_key,
      {
        encryptionClass: row.encryption_class,
        algorithm: row.algorithm,
        kmsKeyId: row.kms_key_id,
        kmsDataEncryption: row.kms_data_encryption,
        errorCode: row.error_code,
      },
    ]),
  );
}

/** Every finding, open and resolved, oldest first. */
export async function allFindings(dataSource: DataSource): Promise<RecordedFinding[]> {
  const rows = await dataSource.query<
    {
      id: string;
      resource_key: string;
      rule: string;
      severity: string;
      status: string;
      resolution: string | null;
      opened_scan_id: number;
      resolved_scan_id: number | null;
    }[]
  >(
    `SELECT f."id", r."resource_key", f."rule", f."severity", f."status", f."resolution", f."opened_scan_id",
       f."resolved_scan_id"
     FROM "findings" f JOIN "resources" r ON r."id" = f."resource_id"
     ORDER BY f."opened_at", r."resource_key", f."rule"`,
  );
  return rows.map((row) => ({
    id: row.id,
    resourceKey: row.resource_key,
    rule: row.rule,
    severity: row.severity,
    status: row.status,
    resolution: row.resolution,
    openedScanId: row.opened_scan_id,
    resolvedScanId: row.resolved_scan_id,
  }));
}

/** The open findings' rules, by resource key (the shape of `expectedFindings`). */
export async function openFindingRules(dataSource: DataSource): Promise<Map<string, string[]>> {
  const open = (await allFindings(dataSource)).filter((finding) => finding.status === 'open');
  const rules = new Map<string, string[]>();
  for (const finding of open)
    rules.set(finding.resourceKey, [...(rules.get(finding.resourceKey) ?? []), finding.rule]);
  return new Map([...rules].map(([key, list]) => [key, list.sort()]));
}
