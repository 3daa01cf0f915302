import { thrownCode } from '../testing/thrown';
import { FleetState } from './fleet-state';
import type { FleetSpec, TableBucketSpec } from './fleet.types';
import { isValidNamespaceName, isValidTableName, tablesResumePoint, type TableRecord } from './table-catalog';

const ACCOUNT = '1234567890';
const ARN = `acs:osstables:cn-hangzhou:${ACCOUNT}:bucket/lake`;
const KMS = { sseAlgorithm: 'KMS', kmsKeyArn: `acs:kms:cn-hangzhou:${ACCOUNT}:key/key-1` };

function fleet(tableBucket: Partial<TableBucketSpec> = {}): FleetSpec {
  return {
    accounts: [
      {
        id: ACCOUNT,
        accessKeys: [{ accessKeyId: 'ak', accessKeySecret: 'sk' }],
        buckets: [],
        tableBuckets: [
          {
            name: 'lake',
            region: 'cn-hangzhou',
            createdAt: '2025-01-01T00:00:00.000000+00:00',
            encryption: { sseAlgorithm: 'AES256', kmsKeyArn: '' },
            namespaces: [
              {
                name: 'sales',
                tables: [
                  { name: 'orders' },
                  { name: 'legacy', encryption: null },
                  { name: 'secrets', encryption: KMS, deny: ['GetTableEncryption'] },
                ],
              },
              { name: 'logs', createdAt: '2025-02-01T00:00:00.000000+00:00', tables: [{ name: 'events' }] },
              { name: 'empty' },
            ],
            ...tableBucket,
          },
        ],
      },
    ],
  };
}

const ALL = { prefix: '', after: undefined, max: 1000 } as const;

function names(tables: readonly TableRecord[] | undefined): string[] {
  return (tables ?? []).map((table) => `${table.namespace}.${table.name}`);
}

describe('TableCatalog', () => {
  it('gives a table without an encryption its table bucket default, and keeps explicit ones', () => {
    const catalog = new FleetState(fleet()).tableCatalog;
    expect(catalog.table(ARN, 'sales', 'orders')?.encryption).toEqual({
      sseAlgorithm: 'AES256',
      kmsKeyArn: '',
    });
    expect(catalog.table(ARN, 'sales', 'legacy')?.encryption).toBeNull();
    expect(catalog.table(ARN, 'sales', 'secrets')?.encryption).toEqual(KMS);
    expect(catalog.table(ARN, 'sales', 'legacy')?.encryptionJson.toString()).toBe(
      '{"encryptionConfiguration":{}}',
    );
  });

  it('lets existing tables keep their encryption when the table bucket default changes', () => {
    const state = new FleetState(fleet());
    state.setTableBucketEncryption(ARN, KMS);
    expect(state.tableCatalog.table(ARN, 'sales', 'orders')?.encryption?.sseAlgorithm).toBe('AES256');
    const created = state.tableCatalog.addTable(ARN, 'sales', { name: 'fresh' });
    expect(created.encryption).toEqual(KMS);
  });

  it('names a table by a stable ARN under its table bucket, and renders its list entry', () => {
    const table = new FleetState(fleet()).tableCatalog.table(ARN, 'logs', 'events');
    expect(table?.tableArn).toMatch(
      /^acs:osstables:cn-hangzhou:1234567890:bucket\/lake\/table\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(new FleetState(fleet()).tableCatalog.table(ARN, 'logs', 'events')?.tableArn).toBe(table?.tableArn);
    expect(JSON.parse(table?.listEntryJson ?? '')).toEqual({
      createdAt: '2025-02-01T00:00:00.000000+00:00',
      modifiedAt: '2025-02-01T00:00:00.000000+00:00',
      name: 'events',
      namespace: ['logs'],
      tableARN: table?.tableArn,
      type: 'customer',
    });
  });

  it('lists namespaces in name order, page by page, with a prefix', () => {
    const catalog = new FleetState(fleet()).tableCatalog;
    const first = catalog.listNamespaces(ARN, { ...ALL, max: 2 });
    expect(first?.items.map((namespace) => namespace.name)).toEqual(['empty', 'logs']);
    expect(first?.truncated).toBe(true);
    expect(catalog.listNamespaces(ARN, { ...ALL, after: 'logs', max: 2 })).toMatchObject({
      items: [{ name: 'sales' }],
      truncated: false,
    });
    expect(catalog.listNamespaces(ARN, { ...ALL, prefix: 'l' })?.items.map((n) => n.name)).toEqual(['logs']);
  });

  it('lists the tables of one namespace page by page, and none of a missing namespace', () => {
    const catalog = new FleetState(fleet()).tableCatalog;
    const first = catalog.listTables(ARN, 'sales', { ...ALL, max: 2 });
    expect(names(first?.items)).toEqual(['sales.legacy', 'sales.orders']);
    expect(first?.truncated).toBe(true);
    const last = first?.items[1];
    const second = catalog.listTables(ARN, 'sales', {
      ...ALL,
      max: 2,
      after: last === undefined ? undefined : tablesResumePoint(last, 'sales'),
    });
    expect(names(second?.items)).toEqual(['sales.secrets']);
    expect(second?.truncated).toBe(false);
    expect(catalog.listTables(ARN, 'nowhere', ALL)).toBeUndefined();
  });

  it('lists the tables of every namespace when none is named, resuming across namespaces', () => {
    const catalog = new FleetState(fleet()).tableCatalog;
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = catalog.listTables(ARN, undefined, { prefix: '', after, max: 1 });
      seen.push(...names(page?.items));
      const last = page?.items[page.items.length - 1];
      if (page?.truncated !== true || last === undefined) break;
      after = tablesResumePoint(last, undefined);
    }
    expect(seen).toEqual(['logs.events', 'sales.legacy', 'sales.orders', 'sales.secrets']);
  });

  it('drops a namespace with its tables, and a table bucket with its catalog', () => {
    const state = new FleetState(fleet());
    expect(state.tableCatalog.removeNamespace(ARN, 'sales')).toBe(true);
    expect(state.tableCatalog.table(ARN, 'sales', 'orders')).toBeUndefined();
    expect(state.tableCatalog.tableCount).toBe(1);
    expect(state.tableCatalog.removeNamespace(ARN, 'sales')).toBe(false);
    state.removeTableBucket(ARN);
    expect(state.tableCatalog.listNamespaces(ARN, ALL)).toBeUndefined();
  });

  it('drops and changes single tables', () => {
    const catalog = new FleetState(fleet()).tableCatalog;
    expect(catalog.setTableEncryption(ARN, 'sales', 'legacy', { sseAlgorithm: 'AES256' })).toBe(true);
    expect(catalog.table(ARN, 'sales', 'legacy')?.encryptionJson.toString()).toBe(
      '{"encryptionConfiguration":{"kmsKeyArn":"","sseAlgorithm":"AES256"}}',
    );
    expect(catalog.removeTable(ARN, 'sales', 'legacy')).toBe(true);
    expect(catalog.removeTable(ARN, 'sales', 'legacy')).toBe(false);
    expect(catalog.setTableEncryption(ARN, 'sales', 'legacy', null)).toBe(false);
  });

  it('gives its namespaces and tables back as specs that rebuild the same catalog', () => {
    const state = new FleetState(fleet());
    const rebuilt = new FleetState(state.toSpec()).tableCatalog;
    for (const [namespace, table] of [
      ['sales', 'orders'],
      ['sales', 'legacy'],
      ['sales', 'secrets'],
      ['logs', 'events'],
    ] as const) {
      const original = state.tableCatalog.table(ARN, namespace, table);
      expect(rebuilt.table(ARN, namespace, table)).toEqual(original);
    }
    expect(rebuilt.namespace(ARN, 'empty')).toEqual(state.tableCatalog.namespace(ARN, 'empty'));
  });

  it.each([
    ['a reserved namespace prefix', { namespaces: [{ name: 'oss_logs' }] }, 'INVALID_FLEET'],
    ['an uppercase namespace', { namespaces: [{ name: 'Sales' }] }, 'INVALID_FLEET'],
    ['a namespace ending in _', { namespaces: [{ name: 'sales_' }] }, 'INVALID_FLEET'],
    [
      'a table starting with _',
      { namespaces: [{ name: 'sales', tables: [{ name: '_t' }] }] },
      'INVALID_FLEET',
    ],
    [
      'a table with a hyphen',
      { namespaces: [{ name: 'sales', tables: [{ name: 'a-b' }] }] },
      'INVALID_FLEET',
    ],
    ['a namespace twice', { namespaces: [{ name: 'sales' }, { name: 'sales' }] }, 'DUPLICATE_NAMESPACE'],
    [
      'a table twice',
      { namespaces: [{ name: 'sales', tables: [{ name: 't' }, { name: 't' }] }] },
      'DUPLICATE_TABLE',
    ],
    [
      'a table id twice in the table bucket',
      {
        namespaces: [
          { name: 'a', tables: [{ name: 't', tableId: 'same-id' }] },
          { name: 'b', tables: [{ name: 't', tableId: 'same-id' }] },
        ],
      },
      'DUPLICATE_TABLE',
    ],
  ])('refuses %s', (_label, overrides, code) => {
    expect(thrownCode(() => new FleetState(fleet(overrides)))).toBe(code);
  });

  it('adds a namespace all or nothing', () => {
    const catalog = new FleetState(fleet()).tableCatalog;
    expect(
      thrownCode(() =>
        catalog.addNamespace(ARN, { name: 'audit', tables: [{ name: 'ok' }, { name: 'Bad' }] }),
      ),
    ).toBe('INVALID_FLEET');
    expect(catalog.namespace(ARN, 'audit')).toBeUndefined();
    expect(catalog.tableCount).toBe(4);
  });

  it('refuses tables of unknown table buckets and namespaces', () => {
    const catalog = new FleetState(fleet()).tableCatalog;
    expect(thrownCode(() => catalog.addNamespace(`${ARN}x`, { name: 'a' }))).toBe('UNKNOWN_TABLE_BUCKET');
    expect(thrownCode(() => catalog.addTable(ARN, 'nowhere', { name: 'a' }))).toBe('UNKNOWN_NAMESPACE');
  });
});

describe('name rules (help.aliyun.com CreateNamespace, create-table)', () => {
  it.each(['a', 'my_namespace', 'n0', 'x'.repeat(255)])('accepts the namespace %j', (name) => {
    expect(isValidNamespaceName(name)).toBe(true);
  });

  it.each(['', '_a', 'a_', 'A', 'a-b', 'acs_x', 'aliyun', 'x'.repeat(256)])(
    'refuses the namespace %j',
    (name) => {
      expect(isValidNamespaceName(name)).toBe(false);
    },
  );

  it.each(['t', 'my_table', 'oss_table'])('accepts the table %j', (name) => {
    expect(isValidTableName(name)).toBe(true);
  });

  it.each(['', '_t', 't_', 'T', 't.t'])('refuses the table %j', (name) => {
    expect(isValidTableName(name)).toBe(false);
  });
});
