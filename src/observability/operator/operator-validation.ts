import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidPropMessage } from '../../platform/errors';
import { isLabelValue, isQualifiedName, LABEL_VALUE_HINT, QUALIFIED_NAME_HINT } from '../../platform/grammar/kubernetes-names';
import { hasUserInfo, isHttpUrl, USERINFO_HINT } from '../../platform/grammar/url';
import { isDnsLabel } from '../../platform/names';
import { ObservabilityStackProps } from '../props';

const OPTION = 'kubernetes.metricsBackend';
/** Label keys the platform sets on its own objects: a user label must not replace them. */
const PLATFORM_LABEL_PREFIX = 'app.kubernetes.io/';

/**
 * Props that configure the bundled Prometheus, Alertmanager or Grafana, which do not run with an
 * existing operator: each is refused rather than silently dropped.
 */
const BUNDLED_ONLY: ReadonlyArray<{ prop: string; set: (p: ObservabilityStackProps) => unknown; owner: string }> = [
  {
    prop: 'receivers',
    set: p => (p.receivers?.length ?? 0) > 0 ? p.receivers!.map(r => r.receiverType) : undefined,
    owner: 'the operator\'s Alertmanager routes every alert by its own configuration (match on the alerts\' `severity` and `job` labels there); ' +
      'an AlertmanagerConfig would only see alerts labelled with its namespace, which the platform\'s aggregated SLO alerts are not, so they would be lost',
  },
  { prop: 'retention', set: p => p.retention, owner: 'the operator\'s Prometheus keeps metrics as its Prometheus resource says (spec.retention)' },
  { prop: 'kubernetes.prometheusReplicas', set: p => p.kubernetes?.prometheusReplicas, owner: 'the operator\'s Prometheus resource sets its replicas' },
  { prop: 'kubernetes.prometheusStorage', set: p => p.kubernetes?.prometheusStorage?.toGibibytes(), owner: 'the operator\'s Prometheus resource sets its storage' },
  { prop: 'kubernetes.retentionSize', set: p => p.kubernetes?.retentionSize, owner: 'the operator\'s Prometheus resource sets spec.retentionSize' },
  { prop: 'kubernetes.alertmanagerReplicas', set: p => p.kubernetes?.alertmanagerReplicas, owner: 'the operator\'s Alertmanager resource sets its replicas' },
  { prop: 'kubernetes.grafanaAdminSecret', set: p => p.kubernetes?.grafanaAdminSecret?.secretName, owner: 'the existing Grafana keeps its own sign-in' },
  { prop: 'kubernetes.images.prometheus', set: p => p.kubernetes?.images?.prometheus, owner: 'the operator chooses the Prometheus image' },
  { prop: 'kubernetes.images.alertmanager', set: p => p.kubernetes?.images?.alertmanager, owner: 'the operator chooses the Alertmanager image' },
  { prop: 'kubernetes.images.grafana', set: p => p.kubernetes?.images?.grafana, owner: 'the existing Grafana is used' },
];

/** Problems with `kubernetes.metricsBackend` (Kubernetes only; the props as given, so that "set" can be told from "defaulted"). */
export function prometheusOperatorProblems(scope: IConstruct, props: ObservabilityStackProps): string[] {
  const options = props.kubernetes?.metricsBackend?.prometheusOperatorOptions;
  if (!options) return [];
  const problems: string[] = [];
  for (const { prop, set, owner } of BUNDLED_ONLY) {
    const value = set(props);
    if (value === undefined) continue;
    problems.push(invalidPropMessage(scope, prop, `only configures the bundled stack, which does not run with ${OPTION} MetricsBackend.prometheusOperator`, value,
      `leave it unset: ${owner}`));
  }
  if (!isDnsLabel(options.prometheusNamespace)) {
    problems.push(invalidPropMessage(scope, `${OPTION}.prometheusNamespace`, 'is not a namespace name', options.prometheusNamespace,
      'use the namespace of the operator\'s Prometheus pods: 1-63 lowercase letters, digits and "-", e.g. "monitoring"'));
  }
  if (options.prometheusUrl !== undefined && !Token.isUnresolved(options.prometheusUrl) && !isHttpUrl(options.prometheusUrl)) {
    problems.push(invalidPropMessage(scope, `${OPTION}.prometheusUrl`, 'is not an http(s) URL', options.prometheusUrl,
      'use the address of the operator\'s Prometheus HTTP API, e.g. "http://kube-prometheus-stack-prometheus.monitoring.svc:9090"'));
  } else if (options.prometheusUrl !== undefined && hasUserInfo(options.prometheusUrl)) {
    problems.push(invalidPropMessage(scope, `${OPTION}.prometheusUrl`, 'carries a user name or password', options.prometheusUrl, USERINFO_HINT));
  }
  if (options.prometheusPodLabels !== undefined && Object.keys(options.prometheusPodLabels).length === 0) {
    problems.push(invalidPropMessage(scope, `${OPTION}.prometheusPodLabels`, 'is empty', {},
      'name the Prometheus pods\' labels (e.g. { "app.kubernetes.io/name": "prometheus" }): an empty selector would admit every pod of the namespace to the metrics ports'));
  }
  const maps = {
    prometheusPodLabels: options.prometheusPodLabels,
    monitorSelectorLabels: options.monitorSelectorLabels,
    ruleSelectorLabels: options.ruleSelectorLabels,
    grafanaDashboardLabels: options.grafanaDashboardLabels,
  };
  for (const [name, labels] of Object.entries(maps)) {
    for (const [key, value] of Object.entries(labels ?? {})) {
      const prop = `${OPTION}.${name}`;
      if (!isQualifiedName(key)) {problems.push(invalidPropMessage(scope, prop, 'has a key that is not a label key', key, QUALIFIED_NAME_HINT));} else if (name !== 'prometheusPodLabels' && key.startsWith(PLATFORM_LABEL_PREFIX)) {
        problems.push(invalidPropMessage(scope, prop, 'has a key the platform sets on its own objects', key,
          `use a key outside ${PLATFORM_LABEL_PREFIX} (e.g. "release"): the platform's labels identify its objects`));
      }
      if (typeof value !== 'string' || !isLabelValue(value)) problems.push(invalidPropMessage(scope, `${prop}["${key}"]`, 'is not a label value', value, LABEL_VALUE_HINT));
    }
  }
  return problems;
}
