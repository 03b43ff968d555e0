/**
 * The report of an investigation (`why`): a headline with the volume and onset from the metrics,
 * what changed just before, the failing routes, the findings (as `text-report.ts` renders them), and
 * what was checked, with each source that could not be read and what to do about it. The JSON form is
 * the diagnosis of DESIGN.md §3 plus what the investigation knows about where it looked.
 */
import type { Checked, FailingRoute, Investigation } from '../collect/investigate';
import type { Diagnosis } from '../diagnosis/engine';
import type { StatusQuery } from '../diagnosis/evidence';
import { inWindowPhrase, windowPhraseOf } from './window-phrase';
import { describeTarget, formatClock, formatCount, statusLabel } from './describe-target';
import type { TextReportOptions } from './text-report';
import { renderReportBody, styles, wrap } from './text-report';
import { askedStatusAbsent, capitalise, checkedItems, describeRoute, isQuiet, quietSentence, sourceLabel, volumePhrase } from './phrases';

export interface InvestigationReportOptions extends TextReportOptions {
  /** The status asked about (the diagnosis may show another). */
  status: StatusQuery;
  /**
   * What to type to see the stage's telemetry, offered where a log was not configured, e.g.
   * "apigw-doctor check orders-api prod". Default none.
   */
  checkCommand?: string;
}

const WIDTH = 100;

/** The terminal report. */
export function renderInvestigationReport(diagnosis: Diagnosis, investigation: Investigation, options: InvestigationReportOptions): string {
  const { bold, dim } = styles(options.color);
  const out: string[] = [bold(headline(investigation, options.status, diagnosis))];
  // No 5xx and nothing in the logs: say so plainly rather than "not enough evidence".
  const quiet = isQuiet(diagnosis, investigation);
  if (quiet) {
    out.push(`${quietSentence(investigation)} Nothing to diagnose; widen the window (--since 24h) or name another stage.`);
  } else {
    if (investigation.evidence.metrics.count5xx === 0) out.push('CloudWatch counted no 5xx on this stage in the window; what follows comes from the logs and the configuration.');
    if (diagnosis.verdict === 'insufficient-evidence') out.push('Not enough evidence to name a cause with confidence; see what would sharpen the answer below.');
  }
  const change = investigation.changes.summary;
  // One sentence, one line: it is quoted and pasted whole.
  if (change) out.push(capitalise(change));
  const routes = investigation.failingRoutes.slice(0, 3);
  if (routes.length > 0) {
    const more = investigation.failingRoutes.length - routes.length;
    out.push(`Failing routes: ${routes.map((r) => describeRoute(r)).join(' · ')}${more > 0 ? ` · and ${more} more` : ''}`);
  }
  out.push(...renderReportBody(diagnosis, options.status, { ...options, skipped: false, quiet }));
  // A quiet stage needs no advice on its telemetry: nothing failed.
  out.push('', ...checkedLines(investigation.checked, diagnosis, quiet ? undefined : options.checkCommand, options.color));
  const skipped = diagnosis.skipped;
  if (skipped.length > 0) {
    out.push(bold('Could not read'));
    for (const s of skipped) {
      const [first = '', ...rest] = wrap(`${sourceLabel(s.source)}: ${s.reason}`, 4, WIDTH);
      out.push(`  • ${first.trimStart()}`, ...rest, ...wrap(`fix: ${s.fix}`, 4, WIDTH).map(dim));
    }
  }
  return `${out.join('\n')}\n`;
}

/** The `why --json` document: the diagnosis, then where the investigation looked and what it saw. */
export function investigationJson(diagnosis: Diagnosis, investigation: Investigation): Record<string, unknown> {
  // The contract's keys first (DESIGN.md §3), then what this version adds.
  const { verdict, statusSeen, findings, missing, skipped, ...more } = diagnosis;
  return {
    verdict,
    ...(statusSeen !== undefined ? { statusSeen } : {}),
    findings,
    missing,
    skipped,
    target: { ...investigation.target, apiType: investigation.apiType },
    window: investigation.window,
    checked: investigation.checked,
    ...more,
    failingRoutes: investigation.failingRoutes,
    changes: investigation.changes,
    ...(investigation.onset ? { onset: investigation.onset } : {}),
    ...(investigation.stages ? { stages: investigation.stages } : {}),
  };
}

/**
 * "502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: 1,204 of 48,210 requests (2.5%), since 14:02 UTC";
 * "orders-api (…), last 1h: asked about 504s: none; 1,218 502s of 48,180 requests (2.5%)" when the logs show only
 * other statuses; "No 5xx on carts-api (…) in the last 1h (0 requests)" for a quiet stage.
 */
export function headline(
  investigation: Pick<Investigation, 'target' | 'apiType' | 'window' | 'onset'> & Partial<Pick<Investigation, 'failingRoutes'>> & { evidence: { metrics: Investigation['evidence']['metrics'] } },
  status: StatusQuery,
  diagnosis?: Pick<Diagnosis, 'statuses' | 'quiet'>,
): string {
  const { window } = investigation;
  const since = windowPhraseOf(window);
  const target = describeTarget(investigation.target, investigation.apiType);
  const { metrics } = investigation.evidence;
  if (diagnosis?.quiet) {
    const requests = metrics.count === undefined ? '' : metrics.count === 0 ? ' (0 requests)' : ` (${formatCount(metrics.count)} requests)`;
    return `No 5xx on ${target} ${inWindowPhrase(since)}${requests}`;
  }
  const onset = investigation.onset ? `, since ${formatClock(investigation.onset.onset, window.to)}` : '';
  // The statuses the logs show, else those of the failing routes the access logs counted.
  const statuses = diagnosis?.statuses ?? statusesOfRoutes(investigation.failingRoutes ?? []);
  const lead = askedStatusAbsent(status, statuses) ? target : `${statusLabel(status)} on ${target}`;
  return `${lead}, ${since}${volumePhrase(status, metrics, statuses)}${onset}`;
}

function statusesOfRoutes(routes: readonly FailingRoute[]): Record<string, number> | undefined {
  if (routes.length === 0) return undefined;
  const out: Record<string, number> = {};
  for (const r of routes) out[String(r.status)] = (out[String(r.status)] ?? 0) + r.count;
  return out;
}

/**
 * "Checked: config ✓ · execution logs ✓ · access logs ✗ not configured on stage prod · …", wrapped.
 * A source that could not be read says so here and is explained under "Could not read".
 */
function checkedLines(checked: readonly Checked[], diagnosis: Diagnosis, checkCommand: string | undefined, color: boolean | undefined): string[] {
  const items = checkedItems(
    checked,
    diagnosis,
    {
      ok: (s) => (color ? `\x1b[32m${s}\x1b[39m` : s),
      bad: (s) => (color ? `\x1b[31m${s}\x1b[39m` : s),
      detail: (d) => d,
      see: (command) => `(see: ${command})`,
    },
    checkCommand,
  );
  if (items.length === 0) return [];
  // Wrap between items, never inside one; continuation lines line up under the first item.
  const lines: string[] = [];
  let line = 'Checked:';
  for (const [i, item] of items.entries()) {
    const piece = `${i === 0 ? ' ' : ' · '}${item}`;
    if (i > 0 && visibleLength(line) + visibleLength(piece) > WIDTH) {
      lines.push(`${line} ·`);
      line = `         ${item}`;
    } else {
      line += piece;
    }
  }
  lines.push(line);
  return lines;
}

function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes take no columns.
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

