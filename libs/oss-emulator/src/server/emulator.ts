import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { decodeQueryString, verifyRequest, type QueryParam, type SignableRequest } from '@app/signing';

import { FaultInjector, type ActiveFaultRule } from '../faults/fault-injector';
import type { Fault, FaultRule } from '../faults/fault.types';
import { billionLaughsBody, deepNestingBody, malformedBody, oversizedBody } from '../faults/hostile-bodies';
import { FleetState, isDenied, type AccessKeyRecord } from '../fleet/fleet-state';
import type { FleetSpec, OperationName, TableBucketWithoutEncryptionMode } from '../fleet/fleet.types';
import { seededRandom, type RandomSource } from '../fleet/seeded-random';
import { HostCache, ossExtranetEndpoint, tablesEndpoint } from '../protocol/endpoints';
import { parseKmsHost } from '../protocol/kms-endpoints';
import {
  isRouteRejection,
  routeRequest,
  type OssRoute,
  type RouteRejection,
  type TablesRoute,
} from '../protocol/request-routing';
import {
  badRequest,
  deniedByPolicy,
  faultError,
  invalidBucketName,
  methodNotAllowed,
  noSuchBucket,
  notBucketOwner,
  signingRegionMismatch,
  wrongEndpoint,
  type ServiceError,
} from '../protocol/service-errors';
import { AdminApi, ADMIN_PATH_PREFIX } from './admin-api';
import { getTableEncryption, listNamespaces, listTables } from './catalog-operations';
import { KmsService, type KmsServiceHost } from './kms-service';
import { isOrganizationRequest, OrganizationService } from './organization-service';
import {
  listBuckets,
  listTableBuckets,
  serveBucketOperation,
  serveTableBucketOperation,
  type OperationContext,
} from './operations';
import { ResponseStamps, sendBody, sendError, type Exchange } from './responses';

export interface EmulatorOptions {
  readonly fleet: FleetSpec;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Bearer token of the admin API; random when absent. */
  readonly adminToken?: string;
  /** Replaces the fleet's `faults` section when given. */
  readonly faults?: readonly FaultRule[];
  /** The service's clock in epoch ms; default Date.now. The clock skew is added to it. */
  readonly now?: () => number;
  /** Initial clock skew; default the fleet's `clockSkewMs`, else 0. */
  readonly clockSkewMs?: number;
  /** Seed of the fault dice; default 1. */
  readonly seed?: number;
  /** Replaces the seeded dice entirely. */
  readonly random?: RandomSource;
  /** Default the fleet's setting, else `empty-configuration`. */
  readonly tableBucketWithoutEncryption?: TableBucketWithoutEncryptionMode;
  /** Most entries per listing page; default the fleet's `maxPageSize`, else 1000. */
  readonly maxPageSize?: number;
}

/** A running emulator, as tests and tools drive it. */
export interface EmulatorHandle {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  readonly adminToken: string;
  /** The live fleet; requests read and change it, tests may read it (and change it). */
  readonly state: FleetState;
  setFaults(rules: readonly FaultRule[]): void;
  clearFaults(): void;
  /** The rules in force, with what remains of their `times`. */
  activeFaults(): readonly ActiveFaultRule[];
  /** Moves the service's clock: positive runs ahead of the real (or injected) clock. */
  setClockSkewMs(ms: number): void;
  /** Requests received (admin API excluded), for one operation or in total. */
  requestCount(operation?: OperationName): number;
  /** Stops listening, drops hung and kept-alive connections. */
  close(): Promise<void>;
}

const EMPTY_QUERY: readonly QueryParam[] = [];

type TerminalFault = Exclude<Fault, { kind: 'latency' }>;

/** What authentication said about a routed request. */
type Authentication = {
  readonly route: OssRoute | TablesRoute;
  readonly query: readonly QueryParam[];
  /** Account of the AccessKey the request names, known even when the signature is wrong. */
  readonly claimedAccountId: string | undefined;
} & (
  | {
      readonly ok: true;
      readonly accountId: string;
      /** V4 scope region. */ readonly scopeRegion: string | undefined;
    }
  | { readonly ok: false; readonly error: ServiceError }
);

function fromSigningError(error: {
  code: string;
  httpStatus: number;
  message: string;
  ec: string;
  details: Record<string, string>;
}): ServiceError {
  return {
    code: error.code,
    status: error.httpStatus,
    message: error.message,
    ec: error.ec,
    details: error.details,
  };
}

function rejectionError(rejection: RouteRejection): ServiceError {
  switch (rejection.rejection) {
    case 'MethodNotAllowed':
      return methodNotAllowed();
    case 'InvalidBucketName':
      return invalidBucketName(rejection.value ?? '');
    case 'InvalidTableBucketArn':
      return badRequest(`The table bucket ARN ${JSON.stringify(rejection.value ?? '')} is not valid.`);
    case 'InvalidPath':
      return rejection.product === 'oss'
        ? methodNotAllowed()
        : badRequest(`The request path ${JSON.stringify(rejection.value ?? '')} is not valid.`);
    case 'HostBucketMismatch':
      return badRequest('The table bucket in the Host header does not match the one in the path.');
  }
}

/**
 * The emulated OSS + OSS Tables service on one node:http server. Per request: route by Host and
 * path, verify the signature (`@app/signing`), let fault rules fire, authorise against the
 * fleet, and answer with the pre-rendered body.
 */
export class Emulator {
  readonly state: FleetState;
  readonly faults: FaultInjector;
  private clockSkew: number;
  private readonly now: () => number;
  private readonly tableBucketWithoutEncryption: TableBucketWithoutEncryptionMode;
  private readonly maxPageSize: number;
  private readonly stamps: ResponseStamps;
  private readonly hosts = new HostCache();
  private readonly counts = new Map<OperationName, number>();
  private total = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly hung = new Set<ServerResponse>();
  private readonly admin: AdminApi;
  private readonly kms: KmsService;
  private readonly organization: OrganizationService;

  constructor(options: EmulatorOptions, adminToken: string) {
    this.state = new FleetState(options.fleet);
    this.faults = new FaultInjector(options.random ?? seededRandom(options.seed ?? 1));
    this.faults.set(options.faults ?? options.fleet.faults ?? []);
    this.clockSkew = options.clockSkewMs ?? options.fleet.clockSkewMs ?? 0;
    this.now = options.now ?? Date.now;
    this.tableBucketWithoutEncryption =
      options.tableBucketWithoutEncryption ??
      options.fleet.tableBucketWithoutEncryption ??
      'empty-configuration';
    this.maxPageSize = options.maxPageSize ?? options.fleet.maxPageSize ?? 1000;
    this.stamps = new ResponseStamps(() => this.serverNow());
    this.admin = new AdminApi(this, adminToken);
    const openApiHost: KmsServiceHost = {
      state: this.state,
      faults: this.faults,
      stamps: this.stamps,
      serverNow: () => this.serverNow(),
      recordRequest: (operation) => {
        this.total += 1;
        if (operation !== undefined) this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
      },
      schedule: (delayMs, action) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          action();
        }, delayMs);
        this.timers.add(timer);
      },
      hold: (res) => {
        this.hung.add(res);
        res.on('close', () => this.hung.delete(res));
      },
    };
    this.kms = new KmsService(openApiHost);
    this.organization = new OrganizationService(openApiHost, this.maxPageSize);
  }

  get clockSkewMs(): number {
    return this.clockSkew;
  }

  setClockSkewMs(ms: number): void {
    this.clockSkew = ms;
  }

  serverNow(): number {
    return this.now() + this.clockSkew;
  }

  requestCount(operation?: OperationName): number {
    return operation === undefined ? this.total : (this.counts.get(operation) ?? 0);
  }

  counters(): { total: number; byOperation: Record<string, number> } {
    return { total: this.total, byOperation: Object.fromEntries(this.counts) };
  }

  /** Releases hung requests and pending latency timers. */
  shutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const res of this.hung) res.destroy();
    this.hung.clear();
  }

  /** The request listener: a bug in the emulator answers 500 instead of taking the process down. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      this.serve(req, res);
    } catch (error) {
      this.failUnexpectedly(res, error);
    }
  };

  private failUnexpectedly(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy(error instanceof Error ? error : undefined);
      return;
    }
    const exchange: Exchange = { res, product: 'oss', hostId: '', startedAt: Date.now() };
    sendError(this.stamps, exchange, faultError('oss', 'InternalError', undefined, undefined));
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const startedAt = Date.now();
    const url = req.url ?? '/';
    if (url.startsWith(ADMIN_PATH_PREFIX)) {
      this.admin.handle(req, res, url);
      return;
    }
    const queryStart = url.indexOf('?');
    const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
    const query =
      queryStart === -1 || queryStart === url.length - 1
        ? EMPTY_QUERY
        : decodeQueryString(url.slice(queryStart + 1));
    const host = this.hosts.get(req.headers.host);
    const action = req.headers['x-acs-action'];
    if (isOrganizationRequest(host.hostname, typeof action === 'string' ? action : undefined)) {
      this.organization.handle(req, res, { hostId: host.hostname, region: undefined, rawPath, query });
      return;
    }
    // KMS answers on its own hosts, and on neutral ones (IP, localhost) for OpenAPI calls.
    const kmsHost = parseKmsHost(host.hostname);
    if (kmsHost !== undefined || (host.service === 'neutral' && req.headers['x-acs-action'] !== undefined)) {
      this.kms.handle(req, res, { hostId: host.hostname, region: kmsHost?.region, rawPath, query });
      return;
    }
    const method = req.method ?? 'GET';
    const route = routeRequest({ method, host, rawPath, query, authorization: req.headers.authorization });
    const exchange: Exchange = { res, product: route.product, hostId: host.hostname, startedAt };
    this.total += 1;

    if (isRouteRejection(route)) {
      sendError(this.stamps, exchange, rejectionError(route));
      return;
    }
    this.counts.set(route.operation, (this.counts.get(route.operation) ?? 0) + 1);
    const authentication = this.authenticate(req, method, route, query);
    const decision = this.faults.decide({
      accountId: authentication.claimedAccountId,
      bucket: route.product === 'oss' ? route.bucket : route.arn?.name,
      operation: route.operation,
      region:
        route.hostRegion ??
        (authentication.ok ? authentication.scopeRegion : undefined) ??
        this.resourceRegion(route),
    });
    if (decision === undefined) {
      this.respond(req, exchange, authentication, undefined);
      return;
    }
    if (decision.delayMs <= 0) {
      this.respond(req, exchange, authentication, decision.terminal);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        this.respond(req, exchange, authentication, decision.terminal);
      } catch (error) {
        this.failUnexpectedly(res, error);
      }
    }, decision.delayMs);
    this.timers.add(timer);
  }

  private authenticate(
    req: IncomingMessage,
    method: string,
    route: OssRoute | TablesRoute,
    query: readonly QueryParam[],
  ): Authentication {
    const signable: SignableRequest = {
      method,
      target:
        route.product === 'oss'
          ? route.bucket === undefined
            ? { product: 'oss' }
            : { product: 'oss', bucket: route.bucket }
          : route.arn === undefined
            ? { product: 'osstables', path: route.path }
            : { product: 'osstables', path: route.path, tableBucketArn: route.arn.value },
      query,
      headers: req.headers,
    };
    // The key the request names, kept even when its signature is wrong: faults match by account.
    let accessKey: AccessKeyRecord | undefined;
    const result = verifyRequest(signable, {
      now: new Date(this.serverNow()),
      resolveCredential: (accessKeyId) => (accessKey = this.state.accessKey(accessKeyId)),
    });
    const base = { route, query, claimedAccountId: accessKey?.accountId };
    if (!result.ok) return { ...base, ok: false, error: fromSigningError(result.error) };
    if (accessKey === undefined) throw new Error('verified a request without resolving its AccessKey');
    // V4 scope region must name the endpoint's region (our choice where docs/wire/oss.md §9 is open).
    const scopeRegion = result.region;
    if (scopeRegion !== undefined && route.hostRegion !== undefined && scopeRegion !== route.hostRegion) {
      return { ...base, ok: false, error: signingRegionMismatch(scopeRegion, route.hostRegion) };
    }
    return { ...base, ok: true, accountId: accessKey.accountId, scopeRegion };
  }

  private resourceRegion(route: OssRoute | TablesRoute): string | undefined {
    if (route.product === 'osstables') return route.arn?.region;
    return route.bucket === undefined ? undefined : this.state.buckets.get(route.bucket)?.region;
  }

  private respond(
    req: IncomingMessage,
    exchange: Exchange,
    authentication: Authentication,
    fault: TerminalFault | undefined,
  ): void {
    if (fault !== undefined) {
      this.injectFault(req, exchange, authentication.route, fault);
      return;
    }
    if (!authentication.ok) {
      sendError(this.stamps, exchange, authentication.error);
      return;
    }
    const { route, scopeRegion } = authentication;
    const context: OperationContext = {
      state: this.state,
      stamps: this.stamps,
      exchange,
      req,
      query: authentication.query,
      accountId: authentication.accountId,
      tableBucketWithoutEncryption: this.tableBucketWithoutEncryption,
      maxPageSize: this.maxPageSize,
    };
    const failure =
      route.product === 'oss'
        ? this.serveOss(context, route, scopeRegion)
        : this.serveTables(context, route, scopeRegion);
    if (failure !== undefined) sendError(this.stamps, exchange, failure);
  }

  /** Authorises and serves; returns the error to answer instead, if any. */
  private serveOss(
    context: OperationContext,
    route: OssRoute,
    scopeRegion: string | undefined,
  ): ServiceError | undefined {
    const account = this.state.accounts.get(context.accountId);
    if (isDenied(account?.deny, route.operation)) return deniedByPolicy(route.operation);
    if (route.operation === 'ListBuckets' || route.bucket === undefined) {
      listBuckets(context);
      return undefined;
    }
    const bucket = this.state.buckets.get(route.bucket);
    if (bucket === undefined) return noSuchBucket(route.bucket);
    // Without a region in the Host (IP endpoint), the V4 scope says which endpoint was meant.
    const endpointRegion = route.hostRegion ?? scopeRegion;
    if (endpointRegion !== undefined && bucket.region !== endpointRegion) {
      return wrongEndpoint(ossExtranetEndpoint(bucket.region));
    }
    if (bucket.accountId !== context.accountId) return notBucketOwner();
    if (isDenied(bucket.deny, route.operation)) return deniedByPolicy(route.operation);
    serveBucketOperation(context, route.operation, bucket);
    return undefined;
  }

  private serveTables(
    context: OperationContext,
    route: TablesRoute,
    scopeRegion: string | undefined,
  ): ServiceError | undefined {
    const account = this.state.accounts.get(context.accountId);
    if (isDenied(account?.deny, route.operation)) return deniedByPolicy(route.operation);
    // Tables are V4-only (the verifier rejects V1), so a scope region is always known here.
    const region = route.hostRegion ?? scopeRegion ?? '';
    if (route.operation === 'ListTableBuckets' || route.arn === undefined) {
      listTableBuckets(context, region);
      return undefined;
    }
    const { arn } = route;
    if (arn.region !== region) return wrongEndpoint(tablesEndpoint(arn.region));
    const tableBucket = this.state.tableBuckets.get(arn.value);
    if (tableBucket === undefined) return noSuchBucket(arn.name);
    if (tableBucket.accountId !== context.accountId) return notBucketOwner();
    if (isDenied(tableBucket.deny, route.operation)) return deniedByPolicy(route.operation);
    switch (route.operation) {
      case 'ListNamespaces':
        return listNamespaces(context, tableBucket);
      case 'ListTables':
        return listTables(context, tableBucket);
      case 'GetTableEncryption':
        return getTableEncryption(context, tableBucket, route.namespace ?? '', route.table ?? '');
      default:
        serveTableBucketOperation(context, route.operation, tableBucket);
        return undefined;
    }
  }

  private injectFault(
    req: IncomingMessage,
    exchange: Exchange,
    route: OssRoute | TablesRoute,
    fault: TerminalFault,
  ): void {
    const { product } = exchange;
    switch (fault.kind) {
      case 'error':
        sendError(this.stamps, exchange, faultError(product, fault.code, fault.status, fault.message));
        return;
      case 'reset':
        // After a latency fault the client may be gone already.
        if (!req.socket.destroyed) req.socket.resetAndDestroy();
        return;
      case 'hang':
        this.hung.add(exchange.res);
        exchange.res.on('close', () => this.hung.delete(exchange.res));
        return;
      case 'malformed': {
        const hostile = malformedBody(product, route.operation);
        sendBody(this.stamps, exchange, 200, hostile.contentType, hostile.body);
        return;
      }
      case 'oversized': {
        const hostile = oversizedBody(product, fault.bytes);
        sendBody(this.stamps, exchange, 200, hostile.contentType, hostile.body);
        return;
      }
      case 'billionLaughs': {
        const hostile = billionLaughsBody();
        sendBody(this.stamps, exchange, 200, hostile.contentType, hostile.body);
        return;
      }
      case 'deepNesting': {
        const hostile = deepNestingBody(product, fault.depth);
        sendBody(this.stamps, exchange, 200, hostile.contentType, hostile.body);
        return;
      }
    }
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Starts an emulator serving `fleet`; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions): Promise<EmulatorHandle> {
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
  const emulator = new Emulator(options, adminToken);
  const server = createServer({ keepAliveTimeout: 30_000 }, emulator.handle);
  const host = options.host ?? '127.0.0.1';
  const address = await listen(server, options.port ?? 0, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    adminToken,
    state: emulator.state,
    setFaults: (rules) => {
      emulator.faults.set(rules);
    },
    clearFaults: () => {
      emulator.faults.clear();
    },
    activeFaults: () => emulator.faults.list(),
    setClockSkewMs: (ms) => {
      emulator.setClockSkewMs(ms);
    },
    requestCount: (operation) => emulator.requestCount(operation),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        emulator.shutdown();
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
