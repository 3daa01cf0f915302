import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { AlertingMetrics } from '@app/alerting';
import { AuditMetrics } from '@app/metrics';
import { Histogram, Registry, Summary, type MetricObject } from 'prom-client';
import { parse } from 'yaml';

/**
 * The Grafana dashboard and the Prometheus rules in deploy/ name metrics by hand; these checks tie
 * every name to a metric the code registers (the API's and the worker's registries, built here as
 * the processes build them), and the rules to their promtool tests, their scrape jobs and the
 * README sections their runbooks point at. promtool itself runs in CI (.ci/run).
 */

const ROOT = join(__dirname, '..', '..', '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** Series Prometheus writes itself for every target. */
const PROMETHEUS_SERIES = ['up'];

/** The series names a registered metric is exposed as (a histogram as _bucket, _sum and _count). */
function exposedNames(metric: MetricObject): string[] {
  if (metric instanceof Histogram) return ['_bucket', '_sum', '_count'].map((suffix) => metric.name + suffix);
  if (metric instanceof Summary) return [metric.name, `${metric.name}_sum`, `${metric.name}_count`];
  return [metric.name];
}

/** The API's registry (audit gauges, HTTP latency, process metrics) and the worker's alerting metrics. */
function registeredMetrics(): { all: Set<string>; auditAndAlerting: MetricObject[] } {
  const api = new AuditMetrics({
    source: { metricsSnapshot: () => Promise.reject(new Error('never scraped here')) },
  });
  const bare = new AuditMetrics({
    source: { metricsSnapshot: () => Promise.reject(new Error('never scraped here')) },
    processMetrics: false,
  });
  const alerting = new Registry();
  new AlertingMetrics(alerting);
  const all = new Set(
    [...api.registry.getMetricsAsArray(), ...alerting.getMetricsAsArray()].flatMap(exposedNames),
  );
  return { all, auditAndAlerting: [...bare.registry.getMetricsAsArray(), ...alerting.getMetricsAsArray()] };
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression selects: identifiers that are not functions, keywords,
 * label names (in matchers and grouping clauses), strings, durations or Grafana variables.
 */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/(?<![\w:.])[a-zA-Z_:][\w:]*/g)) {
    const followedBy = bare.slice(match.index + match[0].length).trimStart()[0];
    if (followedBy !== '(' && !KEYWORDS.has(match[0].toLowerCase())) names.add(match[0]);
  }
  return [...names];
}

/** GitHub's anchor of a Markdown heading. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

const { all: REGISTERED, auditAndAlerting: OWN_METRICS } = registeredMetrics();

describe('metricNames (the PromQL reader these checks rely on)', () => {
  it('finds the metrics and skips functions, label names, strings, ranges, keywords and variables', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(seed_http_request_duration_seconds_bucket{status_code=~"5.."}[$__rate_interval])))',
      ),
    ).toEqual(['seed_http_request_duration_seconds_bucket']);
    expect(
      metricNames(
        'max by (job) (a_total) == 1 unless on (job) count by (job) (b{x="y"} offset 1h) or vector(0) > 26 * 3600',
      ),
    ).toEqual(['a_total', 'b']);
    expect(metricNames('up{job=~"$api_job|$worker_job"} == 0')).toEqual(['up']);
  });
});

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { expr: string; datasource?: { uid: string } }[];
  panels?: Panel[];
}

describe('deploy/grafana/seed-dashboard.json', () => {
  const dashboard = JSON.parse(read('deploy/grafana/seed-dashboard.json')) as {
    schemaVersion: number;
    uid: string;
    templating: { list: { name: string; type: string; query: string }[] };
    panels: Panel[];
  };
  const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  const graphs = panels.filter((panel) => panel.type !== 'row');
  const expressions = graphs.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));

  it('is a dashboard of a current Grafana (schema 41, Grafana 12) with a Prometheus datasource variable', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(41);
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
  });

  it('queries every panel through the datasource variable', () => {
    for (const panel of graphs) {
      expect([panel.title, panel.datasource?.uid]).toEqual([panel.title, '${datasource}']);
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe('${datasource}');
    }
  });

  it('gives each panel its own id and its own place on the grid', () => {
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    const overlaps = (a: Panel['gridPos'], b: Panel['gridPos']): boolean =>
      a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    for (const [index, panel] of panels.entries()) {
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      const clash = panels.slice(index + 1).find((other) => overlaps(panel.gridPos, other.gridPos));
      expect([panel.title, clash?.title]).toEqual([panel.title, undefined]);
    }
  });

  it('names only metrics the code registers (or up)', () => {
    for (const expr of expressions) {
      const names = metricNames(expr);
      expect(names.length).toBeGreaterThan(0);
      const unknown = names.filter((name) => !REGISTERED.has(name) && !PROMETHEUS_SERIES.includes(name));
      expect([expr, unknown]).toEqual([expr, []]);
    }
  });

  it('shows every audit, HTTP and alerting metric at least once', () => {
    const used = new Set(expressions.flatMap(metricNames));
    const unseen = OWN_METRICS.filter((metric) => !exposedNames(metric).some((name) => used.has(name)));
    expect(unseen.map((metric) => metric.name)).toEqual([]);
  });
});

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

describe('deploy/prometheus', () => {
  const rules = (
    parse(read('deploy/prometheus/seed-alerts.yml')) as { groups: { rules: Rule[] }[] }
  ).groups.flatMap((group) => group.rules);
  const tests = parse(read('deploy/prometheus/seed-alerts.test.yml')) as {
    rule_files: string[];
    tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
  };
  const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as {
    rule_files: string[];
    scrape_configs: { job_name: string }[];
  };
  const readmeAnchors = new Set(
    read('README.md')
      .split('\n')
      .filter((line) => /^#{1,4} /.test(line))
      .map((line) => anchor(line.replace(/^#+ /, ''))),
  );

  it('names only metrics the code registers (or up) in its rules', () => {
    for (const rule of rules) {
      const names = metricNames(rule.expr);
      const unknown = names.filter((name) => !REGISTERED.has(name) && !PROMETHEUS_SERIES.includes(name));
      expect([rule.alert, names.length > 0, unknown]).toEqual([rule.alert, true, []]);
    }
  });

  it('gives every rule a severity, a summary, a description and a runbook in the README', () => {
    expect(new Set(rules.map((rule) => rule.alert)).size).toBe(rules.length);
    for (const rule of rules) {
      expect([rule.alert, rule.labels?.severity]).toEqual([
        rule.alert,
        expect.stringMatching(/^(critical|warning)$/),
      ]);
      expect(rule.annotations?.summary).toEqual(expect.any(String));
      expect(rule.annotations?.description).toEqual(expect.any(String));
      const runbook = /^README\.md#(.+)$/.exec(rule.annotations?.runbook_url ?? '')?.[1];
      expect([rule.alert, runbook !== undefined && readmeAnchors.has(runbook)]).toEqual([rule.alert, true]);
    }
  });

  it('has a promtool test in which each rule fires, and one in which it stays quiet', () => {
    expect(tests.rule_files).toEqual(['seed-alerts.yml']);
    const cases = tests.tests.flatMap((test) => test.alert_rule_test);
    for (const rule of rules) {
      const own = cases.filter((testCase) => testCase.alertname === rule.alert);
      expect([
        rule.alert,
        own.some((c) => c.exp_alerts.length > 0),
        own.some((c) => c.exp_alerts.length === 0),
      ]).toEqual([rule.alert, true, true]);
    }
  });

  it('scrapes the jobs the rules name, and loads the rules', () => {
    expect(prometheus.rule_files).toEqual(['seed-alerts.yml']);
    const jobs = prometheus.scrape_configs.map((config) => config.job_name);
    for (const rule of rules) {
      for (const [, job] of rule.expr.matchAll(/job="([^"]+)"/g))
        expect([rule.alert, jobs]).toEqual([rule.alert, expect.arrayContaining([job])]);
    }
    expect(jobs.sort()).toEqual(['seed-api', 'seed-worker']);
  });
});
