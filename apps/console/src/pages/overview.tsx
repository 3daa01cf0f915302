import { useEffect } from 'preact/hooks';

import { api, must } from '../api/client';
import type { Scan, Summary } from '../api/types';
import { ClassBadge, ScanStatusBadge } from '../components/badges';
import { PostureHeatMap, SeverityBars, TrendChart } from '../components/charts';
import { ControlScores } from '../components/control-scores';
import { PageHeader, Section } from '../components/page-header';
import { ScanErrors, ScanFacts } from '../components/scan-facts';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { formatCount, formatShare, formatTime, plural } from '../lib/format';
import { routeHref } from '../router';

/** Scans in the trend chart. */
const TREND_SCANS = 30;

interface OverviewData {
  readonly summary: Summary;
  readonly lastScan: Scan | null;
}

async function loadOverview(signal: AbortSignal): Promise<OverviewData> {
  const [summary, scans] = await Promise.all([
    must(api.GET('/v1/summary', { params: { query: { scans: TREND_SCANS } }, signal })),
    must(api.GET('/v1/scans', { params: { query: { limit: 1 } }, signal })),
  ]);
  return { summary, lastScan: scans.items[0] ?? null };
}

/** Posture now (heat map, findings by severity), its trend, and the last scan. */
export function OverviewPage() {
  const { state, reload } = useApi('overview', loadOverview);
  return (
    <>
      <PageHeader
        title="Overview"
        description="Encryption posture of every audited bucket and table bucket, as of the latest scans."
      />
      {state.status === 'loading' ? <Loading label="Loading the overview" /> : null}
      {state.status === 'error' ? (
        <ErrorNotice title="Could not load the overview" error={state.error} onRetry={reload} />
      ) : null}
      {state.status === 'ready' ? <OverviewContent data={state.data} /> : null}
    </>
  );
}

function OverviewContent({ data }: { data: OverviewData }) {
  const { summary, lastScan } = data;
  const { resources, openFindings } = summary;
  const urgent = openFindings.bySeverity.critical + openFindings.bySeverity.high;
  useEffect(() => {
    // The moment the overview's data is on screen, for the console benchmark (apps/bench).
    performance.mark('seed:overview-rendered');
  }, []);
  if (resources.total === 0 && lastScan === null) {
    return (
      <Empty title="Nothing audited yet.">
        No scan has run. Start one from <a href={routeHref('/scans')}>Scans</a> (admin key), or wait for the
        schedule.
      </Empty>
    );
  }
  return (
    <div class="overview" data-ready="overview">
      <div class="kpis">
        <div class="kpi">
          <p class="kpi-label">Resources</p>
          <p class="kpi-value">{formatCount(resources.total)}</p>
          <p class="kpi-detail">
            {plural(resources.byKind.bucket, 'bucket')},{' '}
            {plural(resources.byKind.table_bucket, 'table bucket')}
          </p>
        </div>
        <div class="kpi">
          <p class="kpi-label">With a customer KMS key</p>
          <p class="kpi-value">{formatShare(resources.byClass.kms_cmk, resources.total)}</p>
          <p class="kpi-detail">
            <a href={routeHref('/resources', { class: 'none' })}>
              {formatCount(resources.byClass.none)} unencrypted
            </a>
            ,{' '}
            <a href={routeHref('/resources', { class: 'unknown' })}>
              {formatCount(resources.byClass.unknown)} unknown
            </a>
          </p>
        </div>
        <div class="kpi">
          <p class="kpi-label">Open findings</p>
          <p class="kpi-value">
            <a href={routeHref('/findings')}>{formatCount(openFindings.total)}</a>
          </p>
          <p class="kpi-detail">{formatCount(urgent)} critical or high</p>
        </div>
        <div class="kpi">
          <p class="kpi-label">Last scan</p>
          {lastScan === null ? (
            <p class="kpi-value">None</p>
          ) : (
            <>
              <p class="kpi-value kpi-value-small">
                <a href={routeHref(`/scans/${lastScan.id.toString()}`)}>#{lastScan.id}</a>{' '}
                <ScanStatusBadge status={lastScan.status} />
              </p>
              <p class="kpi-detail">
                <time dateTime={lastScan.startedAt}>{formatTime(lastScan.startedAt)}</time> ·{' '}
                {formatCount(lastScan.totals.errors)} errors
              </p>
            </>
          )}
        </div>
      </div>

      <Section title="Posture by account and region" id="posture" wide>
        {summary.byAccountRegion.length === 0 ? (
          <Empty title="No present resources." />
        ) : (
          <>
            <PostureHeatMap rows={summary.byAccountRegion} />
            <p class="legend">
              {(['kms_cmk', 'kms_default', 'oss_aes256', 'oss_sm4', 'none', 'unknown'] as const).map(
                (value) => (
                  <ClassBadge key={value} value={value} />
                ),
              )}
              <span class="muted">Darker cells hold a larger share of their row.</span>
            </p>
          </>
        )}
      </Section>

      <div class="grid-2">
        <Section title="Open findings by severity" id="severity">
          <SeverityBars counts={openFindings.bySeverity} />
        </Section>
        <Section title="Open findings over recent scans" id="trend">
          {summary.trend.length === 0 ? (
            <Empty title="No scans yet." />
          ) : (
            <TrendChart points={summary.trend} />
          )}
        </Section>
      </div>

      <ControlScores />

      {lastScan === null ? null : (
        <Section
          title={`Last scan: #${lastScan.id.toString()}`}
          id="last-scan"
          wide
          actions={<a href={routeHref(`/scans/${lastScan.id.toString()}`)}>Coverage of every scope</a>}
        >
          <ScanFacts scan={lastScan} />
          <h3>Errors by code</h3>
          <ScanErrors scan={lastScan} />
        </Section>
      )}
    </div>
  );
}
