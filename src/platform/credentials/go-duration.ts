import { Duration } from 'aws-cdk-lib';

/** `duration` as a Go duration (`time.ParseDuration`), in the largest whole unit: `2160h`, `90m`, `45s`. */
export function goDuration(duration: Duration): string {
  const seconds = duration.toSeconds();
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
