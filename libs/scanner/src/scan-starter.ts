import type { AuditConfig } from '@app/config';
import type {
  AccountRepository,
  PlannedAccount,
  NewScanTask,
  ScanRecord,
  ScanRepository,
  ScanTaskRepository,
  ScanTrigger,
} from '@app/persistence';

import type { ResourceManagerClient } from '@app/cloud-client';

import { type JobQueue, SCAN_QUEUES } from './job-queue';
import { discoverMembers, type DiscoveredMembers } from './organization-discovery';
import type { ScanEventListener } from './scan-events';
import { enumerationTasks, explicitAuditTasks, scanPlan } from './scan-plan';

/** Data of an enumerate or audit job: the task it carries out. */
export interface TaskJob {
  readonly scanId: number;
  readonly taskKey: string;
}

/** Data of the evaluate job. */
export interface EvaluateJob {
  readonly scanId: number;
}

export interface ScanStarterDependencies {
  /** The scan plan comes from the accounts and the audit batch size; nothing else is read. */
  readonly config: Pick<AuditConfig, 'accounts' | 'scan' | 'organization'>;
  readonly scans: ScanRepository;
  readonly accounts: AccountRepository;
  /** The organisation's Resource Manager (discovery at the start of each scan); null without one. */
  readonly resourceManager: Pick<ResourceManagerClient, 'listAccounts'> | null;
  readonly tasks: ScanTaskRepository;
  readonly queue: JobQueue;
  readonly events: ScanEventListener;
}

/**
 * Starts scans: records the scan with its plan (the scopes it sets out to cover, as configured now),
 * one task per listing and per configured batch (each carrying the scope it covers), and queues
 * their jobs for the workers. It holds no credentials and
 * sends nothing to the cloud, which is all the API and the scheduler need.
 */
export class ScanStarter {
  constructor(private readonly deps: ScanStarterDependencies) {}

  /**
   * Starts a scan, or returns the one already running (or already started for this cron slot),
   * with `created: false`.
   */
  async startScan(
    trigger: ScanTrigger,
    scheduleSlot?: Date,
  ): Promise<{ scan: ScanRecord; created: boolean }> {
    const { accounts: configured, scan: scanConfig } = this.deps.config;
    const members = await this.discover();
    const accounts = [...configured, ...(members?.configs ?? [])];
    const started = await this.deps.scans.startScan({
      trigger,
      plan: { ...scanPlan(accounts), ...(members === null ? {} : { organization: members.plan }) },
      ...(scheduleSlot === undefined ? {} : { scheduleSlot }),
    });
    if (!started.created) return started;
    await this.deps.accounts.recordPlanned(
      [...configured.map(configuredAccount), ...(members?.planned ?? [])],
      started.scan.startedAt,
    );
    const listings = enumerationTasks(accounts);
    const tasks = [...listings, ...explicitAuditTasks(accounts, scanConfig.auditBatchSize)];
    await this.deps.tasks.addTasks(started.scan.id, tasks);
    this.deps.events({ type: 'scan_started', scanId: started.scan.id, trigger, scopes: listings.length });
    if (tasks.length === 0) {
      await this.deps.queue.send(SCAN_QUEUES.evaluate, { scanId: started.scan.id } satisfies EvaluateJob);
    } else {
      await sendTaskJobs(this.deps.queue, started.scan.id, tasks);
    }
    return started;
  }

  /** The organisation's members to audit in this scan (null without an organisation). */
  private async discover(): Promise<DiscoveredMembers | null> {
    const { organization, accounts } = this.deps.config;
    if (organization === null || this.deps.resourceManager === null) return null;
    return discoverMembers(organization, accounts, this.deps.resourceManager, this.deps.accounts);
  }
}

/** An account of the configuration file, as the accounts list shows it. */
function configuredAccount(account: AuditConfig['accounts'][number]): PlannedAccount {
  return {
    alias: account.alias,
    accountId: account.accountId,
    source: 'configured',
    name: null,
    folderId: null,
  };
}

/** Queues one job per task, on the queue of its kind. */
export async function sendTaskJobs(
  queue: JobQueue,
  scanId: number,
  tasks: readonly Pick<NewScanTask, 'kind' | 'taskKey'>[],
): Promise<void> {
  const jobsOf = (kind: NewScanTask['kind']) =>
    tasks
      .filter((task) => task.kind === kind)
      .map((task) => ({ scanId, taskKey: task.taskKey }) satisfies TaskJob);
  await queue.sendMany(SCAN_QUEUES.enumerate, jobsOf('enumerate'));
  await queue.sendMany(SCAN_QUEUES.audit, jobsOf('audit'));
}
