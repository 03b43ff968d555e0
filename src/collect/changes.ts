/**
 * Recent changes lined up with the error onset: API deployments (and the stage switching to one) and
 * Lambda function updates. "Errors began 14:02, two minutes after deployment abc123 of stage prod"
 * is often the whole answer, and it tells the engine how long the broken state has existed.
 */
import type { DeploymentInfo, LambdaAliasInfo, LambdaFunctionInfo, StageInfo } from './ports';

export interface ChangeEvent {
  at: string;
  kind: 'deployment' | 'stage-update' | 'lambda-update';
  /** Deployment id or function name (with qualifier). */
  subject: string;
  /** One line for a human: "deployment abc123 of stage prod ("fix auth")". */
  description: string;
}

export interface ChangeCorrelation {
  /** Changes from `lookbackMs` before the onset (or window) to the window's end, oldest first. */
  events: ChangeEvent[];
  /** The last change at or before the onset, and how many minutes before it. */
  suspect?: { event: ChangeEvent; minutesBefore: number };
  /** The sentence a report shows, when there is an onset. */
  summary?: string;
}

/** How far before the onset a change is still worth showing. */
export const CHANGE_LOOKBACK_MS = 24 * 3_600_000;

/** The change events of a stage's deployments and of the integrated functions. */
export function changeEvents(
  stage: StageInfo,
  deployments: readonly DeploymentInfo[],
  functions: readonly LambdaFunctionInfo[],
  aliases: ReadonlyMap<string, LambdaAliasInfo> = new Map(),
): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (const d of deployments) {
    const live = d.id === stage.deploymentId;
    const what = `deployment ${d.id}${live ? ` (live on stage ${stage.name})` : ''}${d.description ? ` "${d.description}"` : ''}`;
    events.push({ at: d.createdDate, kind: 'deployment', subject: d.id, description: what });
  }
  // The stage moving to an older deployment, or a settings change, shows only as its update time.
  const current = deployments.find((d) => d.id === stage.deploymentId);
  if (stage.lastUpdatedDate && (!current || Date.parse(stage.lastUpdatedDate) - Date.parse(current.createdDate) > 60_000)) {
    events.push({ at: stage.lastUpdatedDate, kind: 'stage-update', subject: stage.name, description: `stage ${stage.name} updated${stage.deploymentId ? ` (now on deployment ${stage.deploymentId})` : ''}` });
  }
  for (const f of functions) {
    const modified = f.lastModified ? Date.parse(f.lastModified) : NaN;
    if (Number.isNaN(modified)) continue;
    const version = f.version && f.version !== '$LATEST' ? ` version ${f.version}` : '';
    // An alias's own moves leave no timestamp outside CloudTrail; the version it serves was published at lastModified.
    const alias = aliases.get(f.functionName);
    const via = alias ? ` (alias ${alias.name} → ${alias.functionVersion}${describeWeights(alias)})` : '';
    events.push({ at: new Date(modified).toISOString(), kind: 'lambda-update', subject: f.functionName, description: `Lambda ${f.functionName}${version} ${version ? 'published' : 'updated'}${via}` });
  }
  return events.filter((e) => !Number.isNaN(Date.parse(e.at))).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Lines changes up with the onset. Without an onset the events are listed but nothing is suspected. */
export function correlateChanges(events: readonly ChangeEvent[], window: { from: Date; to: Date }, onset?: { onset: string; beforeWindow: boolean }): ChangeCorrelation {
  const anchor = onset ? Date.parse(onset.onset) : window.from.getTime();
  const shown = events.filter((e) => {
    const t = Date.parse(e.at);
    return t >= anchor - CHANGE_LOOKBACK_MS && t <= window.to.getTime();
  });
  if (!onset) return { events: shown };
  const before = shown.filter((e) => Date.parse(e.at) <= anchor);
  const last = before[before.length - 1];
  const began = `errors began ${clock(anchor)}${onset.beforeWindow ? ' (before the window asked about)' : ''}`;
  if (!last) return { events: shown, summary: `${began}; no deployment or function change in the ${CHANGE_LOOKBACK_MS / 3_600_000} h before` };
  const minutesBefore = Math.max(0, Math.round((anchor - Date.parse(last.at)) / 60_000));
  return {
    events: shown,
    suspect: { event: last, minutesBefore },
    summary: `${began}, ${describeGap(minutesBefore)} after ${last.description}`,
  };
}

/** ", 10% to version 8" for a weighted alias. */
function describeWeights(alias: LambdaAliasInfo): string {
  const weights = Object.entries(alias.additionalVersionWeights ?? {});
  return weights.map(([v, w]) => `, ${Math.round(w * 100)}% to version ${v}`).join('');
}

function describeGap(minutes: number): string {
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return minutes === 1 ? 'one minute' : `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return `${hours} hours`;
}

function clock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}
