import { EmulatorError } from '../emulator-error';
import { renderNamespaceEntry, renderTableEntry, tableArn } from '../protocol/tables-catalog-json';
import { renderTableEncryption } from '../protocol/tables-json';
import type { TableBucketRecord } from './fleet-records';
import type { DenySpec } from './fleet.types';
import { insertSorted, pageOfNames, removeSorted, stableUuid, upperBound, type Page } from './sorted-names';
import type { NamespaceSpec, TableEncryptionSpec, TableSpec } from './fleet.types';

/** A namespace as served, its list entry rendered once. */
export interface NamespaceRecord {
  readonly tableBucketArn: string;
  readonly name: string;
  readonly createdAt: string;
  readonly namespaceId: string;
  readonly listEntryJson: string;
}

/** A table as served, its list entry and GetTableEncryption body rendered once. */
export interface TableRecord {
  readonly tableBucketArn: string;
  readonly namespace: string;
  readonly name: string;
  readonly tableId: string;
  readonly tableArn: string;
  readonly createdAt: string;
  readonly modifiedAt: string;
  readonly encryption: TableEncryptionSpec | null;
  readonly deny: DenySpec | undefined;
  readonly listEntryJson: string;
  /** GetTableEncryption 200 body (empty configuration when none). */
  readonly encryptionJson: Buffer;
}

/** One listing page request, `after` being the decoded continuation token. */
export interface CatalogListQuery {
  readonly prefix: string;
  readonly after: string | undefined;
  readonly max: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface NamespaceState {
  readonly record: NamespaceRecord;
  readonly tableNames: string[];
  readonly tables: Map<string, Mutable<TableRecord>>;
}

interface TableBucketCatalog {
  readonly tableBucket: TableBucketRecord;
  readonly namespaceNames: string[];
  readonly namespaces: Map<string, NamespaceState>;
  readonly tableArns: Set<string>;
}

// help.aliyun.com CreateNamespace: 1-255 characters, lowercase letters, digits and `_`, not
// starting or ending with `_`, not prefixed with oss, acs, aliyun, alibaba or aws.
const NAMESPACE_NAME = /^[a-z0-9](?:[a-z0-9_]{0,253}[a-z0-9])?$/;
const RESERVED_NAMESPACE_PREFIXES = ['oss', 'acs', 'aliyun', 'alibaba', 'aws'];
// help.aliyun.com create-table (ossutil): lowercase letters, digits and `_`, starting and ending
// with a letter or digit; the length limit is not stated, we take the namespace's 255.
const TABLE_NAME = /^[a-z0-9](?:[a-z0-9_]{0,253}[a-z0-9])?$/;
const TABLE_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** Joins namespace and table in a cross-namespace continuation token (no name holds a `/`). */
const TOKEN_SEPARATOR = '/';

export function isValidNamespaceName(name: string): boolean {
  return NAMESPACE_NAME.test(name) && !RESERVED_NAMESPACE_PREFIXES.some((prefix) => name.startsWith(prefix));
}

export function isValidTableName(name: string): boolean {
  return TABLE_NAME.test(name);
}

/**
 * The namespaces and tables of every table bucket, with their encryption. Built with the fleet
 * (FleetState attaches each table bucket) and changed by the admin API; listings are served in
 * name order from sorted name lists, so a page costs its own size.
 */
export class TableCatalog {
  private readonly catalogs = new Map<string, TableBucketCatalog>();

  /** Registers a table bucket and its namespaces, all or nothing. */
  attach(tableBucket: TableBucketRecord, namespaces: readonly NamespaceSpec[]): void {
    const catalog: TableBucketCatalog = {
      tableBucket,
      namespaceNames: [],
      namespaces: new Map(),
      tableArns: new Set(),
    };
    for (const namespace of namespaces) this.insertNamespace(catalog, namespace);
    this.catalogs.set(tableBucket.arn, catalog);
  }

  detach(tableBucketArn: string): void {
    this.catalogs.delete(tableBucketArn);
  }

  namespace(tableBucketArn: string, name: string): NamespaceRecord | undefined {
    return this.catalogs.get(tableBucketArn)?.namespaces.get(name)?.record;
  }

  table(tableBucketArn: string, namespace: string, name: string): TableRecord | undefined {
    return this.catalogs.get(tableBucketArn)?.namespaces.get(namespace)?.tables.get(name);
  }

  /** Tables across every table bucket (for summaries). */
  get tableCount(): number {
    let count = 0;
    for (const catalog of this.catalogs.values()) count += catalog.tableArns.size;
    return count;
  }

  addNamespace(tableBucketArn: string, spec: NamespaceSpec): NamespaceRecord {
    return this.insertNamespace(this.requireCatalog(tableBucketArn), spec);
  }

  /** Drops a namespace and its tables; false when there is none of that name. */
  removeNamespace(tableBucketArn: string, name: string): boolean {
    const catalog = this.catalogs.get(tableBucketArn);
    const namespace = catalog?.namespaces.get(name);
    if (catalog === undefined || namespace === undefined) return false;
    for (const table of namespace.tables.values()) catalog.tableArns.delete(table.tableArn);
    catalog.namespaces.delete(name);
    removeSorted(catalog.namespaceNames, name);
    return true;
  }

  /** Creates a table; without an `encryption` it takes the table bucket's current default. */
  addTable(tableBucketArn: string, namespace: string, spec: TableSpec): TableRecord {
    const catalog = this.requireCatalog(tableBucketArn);
    const state = catalog.namespaces.get(namespace);
    if (state === undefined) {
      throw new EmulatorError('UNKNOWN_NAMESPACE', `No namespace "${namespace}" in ${tableBucketArn}.`);
    }
    return this.insertTable(catalog, state, spec);
  }

  removeTable(tableBucketArn: string, namespace: string, name: string): boolean {
    const catalog = this.catalogs.get(tableBucketArn);
    const state = catalog?.namespaces.get(namespace);
    const table = state?.tables.get(name);
    if (catalog === undefined || state === undefined || table === undefined) return false;
    state.tables.delete(name);
    removeSorted(state.tableNames, name);
    catalog.tableArns.delete(table.tableArn);
    return true;
  }

  /**
   * Replaces a table's encryption (null removes it). The service never changes a table's
   * encryption; this is how tests make a table drift. False when the table does not exist.
   */
  setTableEncryption(
    tableBucketArn: string,
    namespace: string,
    name: string,
    encryption: TableEncryptionSpec | null,
  ): boolean {
    const table = this.catalogs.get(tableBucketArn)?.namespaces.get(namespace)?.tables.get(name);
    if (table === undefined) return false;
    applyEncryption(table, encryption);
    return true;
  }

  /** ListNamespaces; undefined when the table bucket is not attached. */
  listNamespaces(tableBucketArn: string, query: CatalogListQuery): Page<NamespaceRecord> | undefined {
    const catalog = this.catalogs.get(tableBucketArn);
    if (catalog === undefined) return undefined;
    const names = catalog.namespaceNames;
    const start = query.after === undefined ? 0 : upperBound(names, query.after);
    const page = pageOfNames(names, start, query.prefix, query.max);
    return {
      items: page.items.map((name) => this.requireNamespace(catalog, name).record),
      truncated: page.truncated,
    };
  }

  /**
   * ListTables of one namespace, or of every namespace in name order when `namespace` is
   * undefined (the namespace is optional in the API reference); `query.prefix` filters table
   * names. Undefined when the table bucket or the namespace does not exist.
   */
  listTables(
    tableBucketArn: string,
    namespace: string | undefined,
    query: CatalogListQuery,
  ): Page<TableRecord> | undefined {
    const catalog = this.catalogs.get(tableBucketArn);
    if (catalog === undefined) return undefined;
    if (namespace !== undefined) {
      const state = catalog.namespaces.get(namespace);
      if (state === undefined) return undefined;
      return tablesPage(state, query.after, query.prefix, query.max);
    }
    const [afterNamespace, afterTable] = splitToken(query.after);
    const items: TableRecord[] = [];
    const firstNamespace =
      afterNamespace === undefined ? 0 : upperBound(catalog.namespaceNames, afterNamespace);
    const names =
      afterNamespace !== undefined && catalog.namespaces.has(afterNamespace)
        ? [afterNamespace, ...catalog.namespaceNames.slice(firstNamespace)]
        : catalog.namespaceNames.slice(firstNamespace);
    for (const name of names) {
      const state = this.requireNamespace(catalog, name);
      const page = tablesPage(
        state,
        name === afterNamespace ? afterTable : undefined,
        query.prefix,
        query.max - items.length,
      );
      items.push(...page.items);
      if (page.truncated) return { items, truncated: true };
    }
    return { items, truncated: false };
  }

  /** A table bucket's namespaces and tables as specs, in name order. */
  namespaceSpecs(tableBucketArn: string): NamespaceSpec[] {
    const catalog = this.catalogs.get(tableBucketArn);
    if (catalog === undefined) return [];
    return catalog.namespaceNames.map((name) => {
      const state = this.requireNamespace(catalog, name);
      return {
        name,
        createdAt: state.record.createdAt,
        namespaceId: state.record.namespaceId,
        tables: state.tableNames.map((tableName) => {
          const table = state.tables.get(tableName);
          if (table === undefined) throw new Error(`Table index out of sync: ${name}.${tableName}`);
          return {
            name: table.name,
            createdAt: table.createdAt,
            modifiedAt: table.modifiedAt,
            tableId: table.tableId,
            encryption: table.encryption,
            ...(table.deny === undefined ? {} : { deny: table.deny }),
          };
        }),
      };
    });
  }

  private insertNamespace(catalog: TableBucketCatalog, spec: NamespaceSpec): NamespaceRecord {
    const { tableBucket } = catalog;
    if (!isValidNamespaceName(spec.name)) {
      throw new EmulatorError(
        'INVALID_FLEET',
        `Invalid namespace name "${spec.name}" in ${tableBucket.arn}.`,
      );
    }
    if (catalog.namespaces.has(spec.name)) {
      throw new EmulatorError(
        'DUPLICATE_NAMESPACE',
        `Namespace "${spec.name}" exists already in ${tableBucket.arn}.`,
      );
    }
    const createdAt = spec.createdAt ?? tableBucket.createdAt;
    const namespaceId = spec.namespaceId ?? stableUuid(`${tableBucket.arn}/${spec.name}`);
    const record: NamespaceRecord = {
      tableBucketArn: tableBucket.arn,
      name: spec.name,
      createdAt,
      namespaceId,
      listEntryJson: renderNamespaceEntry({
        name: spec.name,
        createdAt,
        createdBy: tableBucket.accountId,
        namespaceId,
        ownerAccountId: tableBucket.accountId,
        tableBucketId: tableBucket.tableBucketId,
      }),
    };
    const state: NamespaceState = { record, tableNames: [], tables: new Map() };
    // Tables first: a bad table leaves the namespace out entirely.
    try {
      for (const table of spec.tables ?? []) this.insertTable(catalog, state, table);
    } catch (error) {
      for (const table of state.tables.values()) catalog.tableArns.delete(table.tableArn);
      throw error;
    }
    catalog.namespaces.set(spec.name, state);
    insertSorted(catalog.namespaceNames, spec.name);
    return record;
  }

  private insertTable(catalog: TableBucketCatalog, state: NamespaceState, spec: TableSpec): TableRecord {
    const { tableBucket } = catalog;
    const where = `${tableBucket.arn} namespace "${state.record.name}"`;
    if (!isValidTableName(spec.name)) {
      throw new EmulatorError('INVALID_FLEET', `Invalid table name "${spec.name}" in ${where}.`);
    }
    if (state.tables.has(spec.name)) {
      throw new EmulatorError('DUPLICATE_TABLE', `Table "${spec.name}" exists already in ${where}.`);
    }
    const tableId = spec.tableId ?? stableUuid(`${tableBucket.arn}/${state.record.name}/${spec.name}`);
    if (!TABLE_ID.test(tableId)) {
      throw new EmulatorError(
        'INVALID_FLEET',
        `Invalid table id "${tableId}" of table "${spec.name}" in ${where}.`,
      );
    }
    const arn = tableArn(tableBucket.arn, tableId);
    if (catalog.tableArns.has(arn)) {
      throw new EmulatorError('DUPLICATE_TABLE', `Table id ${tableId} is used twice in ${tableBucket.arn}.`);
    }
    const createdAt = spec.createdAt ?? state.record.createdAt;
    const modifiedAt = spec.modifiedAt ?? createdAt;
    const record: Mutable<TableRecord> = {
      tableBucketArn: tableBucket.arn,
      namespace: state.record.name,
      name: spec.name,
      tableId,
      tableArn: arn,
      createdAt,
      modifiedAt,
      encryption: null,
      deny: spec.deny,
      listEntryJson: renderTableEntry({
        name: spec.name,
        namespace: state.record.name,
        tableArn: arn,
        createdAt,
        modifiedAt,
      }),
      encryptionJson: Buffer.alloc(0),
    };
    // A table is created with the table bucket's default of that moment, and keeps it.
    applyEncryption(record, spec.encryption === undefined ? tableBucket.encryption : spec.encryption);
    state.tables.set(spec.name, record);
    insertSorted(state.tableNames, spec.name);
    catalog.tableArns.add(arn);
    return record;
  }

  private requireCatalog(tableBucketArn: string): TableBucketCatalog {
    const catalog = this.catalogs.get(tableBucketArn);
    if (catalog === undefined) {
      throw new EmulatorError('UNKNOWN_TABLE_BUCKET', `No table bucket ${tableBucketArn}.`);
    }
    return catalog;
  }

  private requireNamespace(catalog: TableBucketCatalog, name: string): NamespaceState {
    const state = catalog.namespaces.get(name);
    if (state === undefined)
      throw new Error(`Namespace index out of sync: ${catalog.tableBucket.arn} ${name}`);
    return state;
  }
}

/**
 * Where the next ListTables page resumes after `table`: its name within one namespace, or
 * `namespace/name` when the listing spans every namespace (`namespace` undefined).
 */
export function tablesResumePoint(table: TableRecord, namespace: string | undefined): string {
  return namespace === undefined ? `${table.namespace}${TOKEN_SEPARATOR}${table.name}` : table.name;
}

function applyEncryption(table: Mutable<TableRecord>, encryption: TableEncryptionSpec | null): void {
  table.encryption = encryption;
  table.encryptionJson = Buffer.from(renderTableEncryption(encryption), 'utf8');
}

function tablesPage(
  state: NamespaceState,
  after: string | undefined,
  prefix: string,
  max: number,
): Page<TableRecord> {
  const start = after === undefined ? 0 : upperBound(state.tableNames, after);
  const page = pageOfNames(state.tableNames, start, prefix, max);
  return {
    items: page.items.map((name) => {
      const table = state.tables.get(name);
      if (table === undefined) throw new Error(`Table index out of sync: ${state.record.name}.${name}`);
      return table;
    }),
    truncated: page.truncated,
  };
}

function splitToken(after: string | undefined): [string | undefined, string | undefined] {
  if (after === undefined) return [undefined, undefined];
  const separator = after.indexOf(TOKEN_SEPARATOR);
  return separator < 0 ? [after, undefined] : [after.slice(0, separator), after.slice(separator + 1)];
}
