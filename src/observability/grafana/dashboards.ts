import { LOGS_DASHBOARD_TAG } from './grafana-logs';
import { stableHash } from '../../platform/service-load-balancers';
import { ERROR_RATIO, ROUTE_P95 } from '../alerting/alert-rules';
import { HttpSignals, PanelSpec, promNumber } from '../alerting/rule-types';
import { requestRate } from '../metrics/http-expressions';
import { SIGNALS } from '../metrics/signals';

export interface DashboardInput {
  readonly job: string;
  readonly kind: string;
  /** HTTP metric names of `service` jobs. */
  readonly serviceMetrics: HttpSignals;
  /** 1 - availability objective: the error budget, for the burn-rate panel. */
  readonly errorBudget: number;
}

/** Grafana's limit on dashboard uids. */
const MAX_UID = 40;

/** The panels of one construct's dashboard (pure): HTTP/SLO panels for HTTP kinds, then the kind's own. */
export function dashboardPanels(input: DashboardInput): PanelSpec[] {
  const signals = SIGNALS[input.kind];
  if (!signals) return [];
  const http = signals.http?.(input.serviceMetrics);
  return [...(http ? httpPanels(input.job, http, input.errorBudget) : []), ...signals.panels(input.job)];
}

/**
 * A Grafana dashboard (JSON model, pure) for one construct. Panels query the `datasource`
 * variable, so the same JSON works with the provisioned Prometheus on Kubernetes and with an
 * Amazon Managed Service for Prometheus data source in Amazon Managed Grafana.
 */
export function grafanaDashboard(input: DashboardInput): Record<string, unknown> {
  const title = SIGNALS[input.kind]?.title ?? input.kind;
  return {
    uid: dashboardUid(input.job),
    title: `${title}: ${input.job}`,
    tags: ['platform', input.kind],
    editable: false,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    // The log search, where a log store is provisioned (the in-cluster Loki); none matches elsewhere.
    links: [{ title: 'Logs', type: 'dashboards', tags: [LOGS_DASHBOARD_TAG], asDropdown: false, keepTime: true, includeVars: false }],
    templating: {
      list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', hide: 0 }],
    },
    panels: dashboardPanels(input).map((panel, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: panel.title,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      datasource: { type: 'prometheus', uid: '${datasource}' },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      targets: panel.queries.map((q, j) => ({ refId: String.fromCharCode(65 + j), expr: q.expr, legendFormat: q.legend })),
    })),
  };
}

/** Every PromQL expression of a dashboard JSON model. */
export function dashboardExpressions(dashboard: Record<string, unknown>): string[] {
  return (dashboard.panels as Array<{ targets: Array<{ expr: string }> }>).flatMap(p => p.targets.map(t => t.expr));
}

/** A stable uid within Grafana's 40-character limit. */
export function dashboardUid(job: string): string {
  const uid = `platform-${job}`;
  return uid.length <= MAX_UID ? uid : `${uid.slice(0, MAX_UID - 9)}-${stableHash(job).toString(16).padStart(8, '0')}`;
}

function httpPanels(job: string, http: HttpSignals, errorBudget: number): PanelSpec[] {
  const rate = requestRate(http, `job="${job}"`);
  const perRoute = http.routeLabel === '' ? `sum(${rate})`
    : http.routeLabel === 'route' ? `sum by (route) (${rate})`
      : `sum by (route) (label_replace(${rate}, "route", "$1", "${http.routeLabel}", "(.*)"))`;
  return [
    { title: 'Requests per route', unit: 'reqps', queries: [{ expr: perRoute, legend: '{{route}}' }] },
    { title: '5xx ratio', unit: 'percentunit', queries: [{ expr: `${ERROR_RATIO('5m')}{job="${job}"}`, legend: '5xx' }] },
    { title: 'p95 latency per route', unit: 's', queries: [{ expr: `${ROUTE_P95}{job="${job}"}`, legend: '{{route}}' }] },
    {
      title: 'Error budget burn rate',
      unit: 'short',
      queries: ['1h', '6h', '3d'].map(w => ({ expr: `${ERROR_RATIO(w)}{job="${job}"} / ${promNumber(errorBudget)}`, legend: w })),
    },
  ];
}
