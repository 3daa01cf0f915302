/**
 * OSS + OSS Tables emulator: the stand-in for Alibaba Cloud in tests, the demo and benchmarks.
 * It verifies V1/V4 signatures exactly as the service does (via `@app/signing`), answers in the
 * real wire formats and error codes, serves a fleet of accounts and buckets, and injects faults.
 */
export { startEmulator, type EmulatorHandle, type EmulatorOptions } from './server/emulator';
export { ADMIN_PATH_PREFIX } from './server/admin-api';
export {
  generateFleet,
  BUCKET_CLASSES,
  TABLE_BUCKET_CLASSES,
  TABLE_CLASSES,
  type GenerateFleetOptions,
  type BucketClass,
  type TableBucketClass,
  type TableClass,
} from './fleet/fleet-generator';
export { loadFleetFile, parseFleetDocument, SAMPLE_FLEET_FILE } from './fleet/fleet-loader';
export { seededRandom, type RandomSource } from './fleet/seeded-random';
export {
  FleetState,
  type AccessKeyRecord,
  type AccountRecord,
  type BucketRecord,
  type TableBucketRecord,
} from './fleet/fleet-state';
export type * from './fleet/fleet.types';

export {
  TableCatalog,
  isValidNamespaceName,
  isValidTableName,
  type NamespaceRecord,
  type TableRecord,
  type CatalogListQuery,
} from './fleet/table-catalog';
export type * from './faults/fault.types';
export type { ActiveFaultRule } from './faults/fault-injector';
export {
  ossExtranetEndpoint,
  ossIntranetEndpoint,
  ossLocation,
  tableBucketArn,
  tablesEndpoint,
} from './protocol/endpoints';
export { EmulatorError, type EmulatorErrorCode } from './emulator-error';
