/** Tag of the log search dashboard: every construct dashboard links to the dashboards carrying it. */
export const LOGS_DASHBOARD_TAG = 'platform-logs';
export const LOKI_DATASOURCE_UID = 'loki';
const JAEGER_DATASOURCE_UID = 'jaeger';

/**
 * Grafana's Loki data source (pure) with links from a log line to its trace in Jaeger: OTLP log
 * records carry their trace id as structured metadata (`trace_id`, read by the label matcher);
 * container log lines that print one (`trace_id=…`, `"traceId":"…"`) are matched by a regex.
 */
export function lokiDatasource(url: string): Record<string, unknown> {
  return {
    name: 'Loki',
    type: 'loki',
    uid: LOKI_DATASOURCE_UID,
    access: 'proxy',
    url,
    editable: false,
    jsonData: {
      maxLines: 1000,
      derivedFields: [
        { name: 'TraceID', matcherType: 'label', matcherRegex: 'trace_id', datasourceUid: JAEGER_DATASOURCE_UID, url: '$${__value.raw}', urlDisplayLabel: 'Trace' },
        {
          name: 'TraceIDInLine',
          matcherType: 'regex',
          matcherRegex: '(?:trace_id|traceId|traceID)"?[=:]\\s*"?([0-9a-fA-F]{32})',
          datasourceUid: JAEGER_DATASOURCE_UID,
          url: '$${__value.raw}',
          urlDisplayLabel: 'Trace',
        },
      ],
    },
  };
}

/**
 * The Jaeger data source's link back to logs (pure): a span opens the logs of its service
 * (`service.name` is Loki's `service_name` label) that carry its trace id, a minute either side.
 */
export function jaegerTracesToLogs(): Record<string, unknown> {
  return {
    tracesToLogsV2: {
      datasourceUid: LOKI_DATASOURCE_UID,
      spanStartTimeShift: '-1m',
      spanEndTimeShift: '1m',
      tags: [{ key: 'service.name', value: 'service_name' }],
      filterByTraceID: false,
      filterBySpanID: false,
      customQuery: true,
      query: '{$${__tags}} | trace_id="$${__trace.traceId}"',
    },
  };
}

/**
 * The log search dashboard (pure): a service picker (Loki's `service_name` label), a free-text
 * filter, the log volume per service and the matching lines.
 */
export function logsDashboard(): Record<string, unknown> {
  const selector = '{service_name=~"$service"} |~ "$search"';
  const datasource = { type: 'loki', uid: LOKI_DATASOURCE_UID };
  return {
    uid: 'platform-logs',
    title: 'Logs',
    tags: ['platform', LOGS_DASHBOARD_TAG],
    editable: false,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    templating: {
      list: [
        {
          name: 'service',
          label: 'Service',
          type: 'query',
          datasource,
          query: 'label_values(service_name)',
          includeAll: true,
          multi: true,
          allValue: '.+',
          refresh: 2,
          current: { text: 'All', value: '$__all' },
        },
        { name: 'search', label: 'Search (regex)', type: 'textbox', query: '', current: { text: '', value: '' } },
      ],
    },
    panels: [
      {
        id: 1,
        type: 'timeseries',
        title: 'Log lines per service',
        datasource,
        gridPos: { h: 7, w: 24, x: 0, y: 0 },
        fieldConfig: { defaults: { unit: 'short' }, overrides: [] },
        targets: [{ refId: 'A', datasource, expr: `sum by (service_name) (count_over_time(${selector} [$__auto]))`, legendFormat: '{{service_name}}' }],
      },
      {
        id: 2,
        type: 'logs',
        title: 'Logs',
        datasource,
        gridPos: { h: 20, w: 24, x: 0, y: 7 },
        options: { showTime: true, wrapLogMessage: true, sortOrder: 'Descending', enableLogDetails: true },
        targets: [{ refId: 'A', datasource, expr: selector }],
      },
    ],
  };
}
