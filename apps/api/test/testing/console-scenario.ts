import { AlertDeliveryRepository } from '@app/persistence';

import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { runAuditScenario, type AuditScenario } from './audit-scenario';

/** The audit scenario served over HTTP for a browser, with keys of both roles and alert deliveries. */
export interface ConsoleScenario {
  readonly audit: AuditScenario;
  readonly api: ApiTestApp;
  readonly baseUrl: string;
  readonly reader: { readonly id: number; readonly token: string };
  readonly admin: { readonly id: number; readonly token: string };
  /** GET with the reader's key, expecting 200: the API's own answer to compare the page with. */
  readerGet<Body>(path: string): Promise<Body>;
  close(): Promise<void>;
}

/**
 * Two real scans of the emulated fleet (`runAuditScenario`), the alerts they queued planned for two
 * channels (one delivered, one failed), and the API listening on loopback with the console's build.
 */
export async function startConsoleScenario(): Promise<ConsoleScenario> {
  const audit = await runAuditScenario();
  try {
    const deliveries = new AlertDeliveryRepository(audit.scanning.database.dataSource);
    const at = audit.second.finishedAt ?? new Date();
    const channels = [
      { channel: 'oncall', channelType: 'webhook' as const, outcome: 'delivered' as const },
      { channel: 'security', channelType: 'slack' as const, outcome: 'failed' as const },
    ];
    for (const { channel, channelType, outcome } of channels) {
      await deliveries.planDeliveries(
        { channel, channelType, plannedAt: at, backfillFrom: audit.first.startedAt },
        (alerts) => alerts.map(() => true),
      );
      await deliveries.deliverNext(channel, at, 20, () =>
        Promise.resolve(
          outcome === 'delivered'
            ? { status: 'delivered', attemptedAt: at, nextSendAt: null }
            : { status: 'failed', attemptedAt: at, error: 'HTTP 404 no_service', nextSendAt: null },
        ),
      );
    }
    const api = await startApiTestApp(audit.scanning);
    const baseUrl = await api.listen();
    const reader = await api.issueKey('reader', 'console reader');
    const admin = await api.issueKey('admin', 'console admin');
    return {
      audit,
      api,
      baseUrl,
      reader,
      admin,
      readerGet: async <Body>(path: string) =>
        (await api.http.get(path).set('Authorization', `Bearer ${reader.token}`).expect(200)).body as Body,
      close: async () => {
        await api.close();
        await audit.scanning.close();
      },
    };
  } catch (error) {
    await audit.scanning.close();
    throw error;
  }
}
