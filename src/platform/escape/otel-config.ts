/**
 * OpenTelemetry Collector configuration: the collector expands `${env:NAME}` and `${NAME}` in
 * every string of its configuration file and reads `$$` as `$` (confmap, "Environment
 * variables"). A user string with every `$` doubled is read as written.
 */
export function otelConfigLiteral(value: string): string {
  return value.replace(/\$/g, '$$$$');
}
