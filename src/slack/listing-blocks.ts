/**
 * The answers to `/apigw check` and `/apigw apis`, as Block Kit: the telemetry of one stage item by item
 * with the commands that fix what is missing (what `renderTelemetryReport` prints in a terminal), and the
 * account's API stages ranked by 5xx with an Investigate button on each failing one (what
 * `renderApiTable` prints). Pure: data in, `{ text, blocks }` out; names and log text are escaped
 * (`mrkdwn.ts`) and both keep to Block Kit's limits (`limits.ts`).
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import type { TelemetryItem, TelemetryReport, TelemetryStatus } from '../collect/check-telemetry';
import type { ApiErrorList, ApiStageErrors } from '../collect/list-apis';
import { shellQuote } from '../diagnosis/shell';
import { describeTarget, formatCount, formatRate } from '../render/describe-target';
import { sourceLabel } from '../render/phrases';
import { ACTION_IDS, encodeActionValue, readInvestigateAction } from './actions';
import type { SlackMessage } from './blocks';
import { MAX_BLOCKS, MAX_MESSAGE_CHARS, MAX_SECTION_TEXT, button, context, fallbackText, messageChars, oneLine, section } from './limits';
import { clipText, codeBlock, inlineCode, plain } from './mrkdwn';

/** Room left in a section for what is packed into it, under Slack's 3,000. */
const SECTION_ROOM = MAX_SECTION_TEXT - 100;
/** Characters kept free for the last lines ("+N more", what could not be read). */
const TAIL_RESERVE = 600;
/** What a reader sees of a long piece of text. */
const CLIP = { name: 120, stage: 80, current: 300, why: 600, reason: 300, fix: 400 } as const;
/** Sources that could not be read, listed; the rest are counted. */
const MAX_SKIPPED = 8;

// ────────────────────────────────────────────────────────────────────────────────────────────────
// check
// ────────────────────────────────────────────────────────────────────────────────────────────────

const MARKS: Record<TelemetryStatus, string> = { ok: '✓', missing: '✗', optional: '○', unknown: '?' };

/**
 * The answer to `check`: what `renderTelemetryReport` prints, as Block Kit. A header line naming the API,
 * stage and Region with how many needed items are in place; each item ✓ in place, ✗ missing, ○ optional
 * and off, ? could not be read, with what is set now and why a diagnosis needs it; the `aws …` commands
 * that put each item in place as code; and the verdict: enough telemetry to diagnose a 5xx, or not.
 */
export function checkMessage(report: TelemetryReport): SlackMessage {
  const where = describeTarget(report.target, report.apiType);
  const needed = report.items.filter((i) => i.status !== 'optional' && !(i.status === 'ok' && isOptional(i)));
  const inPlace = needed.filter((i) => i.status === 'ok').length;
  const missing = needed.filter((i) => i.status === 'missing');
  const unknown = needed.filter((i) => i.status === 'unknown');
  const head = `Telemetry of ${where}: ${inPlace} of ${needed.length} needed item${needed.length === 1 ? '' : 's'} in place`;

  const verdict =
    missing.length === 0 && unknown.length === 0
      ? 'Enough telemetry to diagnose a 5xx on this stage.'
      : missing.length > 0
        ? `Not enough telemetry to diagnose every 5xx: ${missing.map((i) => i.title).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. Run the commands above, then reproduce or wait for the next errors.`
        : `Could not tell whether there is enough telemetry: ${unknown.map((i) => i.title).join(', ')} could not be read.`;
  const verdictBlock = section(`*${plain(clipText(verdict, 1500))}*`);

  const blocks: KnownBlock[] = [section(`*${plain(clipText(head, 600))}*`)];
  let chars = messageChars([...blocks, verdictBlock]) + TAIL_RESERVE;
  let omitted = 0;
  for (const item of report.items) {
    const block = section(itemText(item));
    if (omitted > 0 || chars + messageChars([block]) > MAX_MESSAGE_CHARS || blocks.length + 3 > MAX_BLOCKS) {
      omitted++;
      continue;
    }
    blocks.push(block);
    chars += messageChars([block]);
  }
  blocks.push(verdictBlock);
  if (omitted > 0) blocks.push(context(`+${omitted} more item${omitted === 1 ? '' : 's'} — run ${inlineCode(cliCheck(report), 600)} for all`));
  const items = report.items.map((i) => `${MARKS[i.status]} ${i.title}`).join(' · ');
  return { text: fallbackText(`${head}. ${items}. ${verdict.split(':')[0] ?? ''}.`), blocks };
}

/** One item: mark, title, what is set now; why it matters; the commands that fix it, when not in place. */
function itemText(item: TelemetryItem): string {
  const status = item.status === 'optional' ? ' _(optional)_' : item.status === 'unknown' ? ' _(could not be read)_' : '';
  const lines = [`${MARKS[item.status]} *${plain(oneLine(item.title))}* — ${plain(clipText(oneLine(item.current), CLIP.current))}${status}`, `_${plain(clipText(oneLine(item.why), CLIP.why))}_`];
  if (item.fix !== undefined && item.fix.trim() !== '') {
    const label = item.status === 'optional' ? 'To turn it on:' : 'Fix:';
    const code = codeBlock(item.fix);
    // A command cut short would fail when pasted: past a section, the CLI prints it whole.
    lines.push(code.length + lines.join('\n').length + 20 <= SECTION_ROOM ? `${label}\n${code}` : `${label} too long for Slack; the CLI's ${inlineCode('check')} prints it.`);
  }
  return lines.join('\n');
}

/** Items that are a choice, not a need, whether on or off (as the terminal report counts them). */
function isOptional(item: TelemetryItem): boolean {
  return item.id === 'detailed-metrics' || item.id === 'data-trace';
}

/** `apigw-doctor check orders-api prod --region us-east-1`. */
function cliCheck(report: TelemetryReport): string {
  const t = report.target;
  const words = ['check', t.apiId ?? t.apiName ?? '<api>', ...(t.stage !== undefined ? [t.stage] : []), ...(t.region !== undefined ? ['--region', t.region] : [])];
  return ['apigw-doctor', ...words.map(shellQuote)].join(' ');
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// apis
// ────────────────────────────────────────────────────────────────────────────────────────────────

export interface ApisOptions {
  /** "24h", for "last 24h" and the CLI command given for the full list. */
  sinceLabel: string;
  /** The id the rows are kept under (see `InvestigateActionValue`); absent: by the message. */
  listId?: string;
}

/**
 * The answer to `apis`: the API stages ranked by 5xx, most first (as `renderApiTable`), one section per
 * failing stage — `*name* stage · 5xx · requests · rate` — with an Investigate button whose value is
 * `{ row: i }`, `i` the stage's index in `list.stages` as given, for the caller to look the row up
 * again. Stages without 5xx are listed compactly after them, without a button. What does not fit is
 * counted in a last line giving the CLI command; no 5xx anywhere is one line. The APIs that could not
 * be read follow, with the reason and the fix.
 */
export function apisMessage(list: ApiErrorList, options: ApisOptions): SlackMessage {
  const regions = [...new Set(list.stages.map((s) => s.region))];
  const region = regions.length === 1 ? regions[0] : undefined;
  const where = `${region ?? 'this account'}, last ${options.sinceLabel}`;
  const skipped = skippedBlock(list);
  const tail = skipped ? [skipped] : [];

  if (list.stages.length === 0) {
    const none = list.apiCount === 0 ? `No APIs in ${region ?? 'this Region'}: check the account and Region (--account, --region).` : `No deployed stages among the ${list.apiCount} APIs${region ? ` in ${region}` : ''}.`;
    return { text: fallbackText(none), blocks: [section(plain(none)), ...tail] };
  }
  const ranked = list.stages.map((row, index) => ({ row, index })).sort((a, b) => compareStages(a.row, b.row));
  const failing = ranked.filter((r) => r.row.count5xx > 0);
  const n = list.stages.length;
  if (failing.length === 0) {
    const quiet = `No 5xx on any of ${n} API stage${n === 1 ? '' : 's'} in the last ${options.sinceLabel}${region ? ` (${region})` : ''}.`;
    return { text: fallbackText(quiet), blocks: [section(plain(quiet)), ...tail] };
  }

  const total = failing.reduce((sum, r) => sum + r.row.count5xx, 0);
  const headText = `5xx in ${where}: ${formatCount(total)} across ${failing.length} of ${n} API stage${n === 1 ? '' : 's'}`;
  const blocks: KnownBlock[] = [section(`*${plain(headText)}*`)];
  let chars = messageChars([...blocks, ...tail]) + TAIL_RESERVE;
  // The head, the tail and the "+N more" line stay within 50 blocks.
  const maxBody = MAX_BLOCKS - blocks.length - tail.length - 1;
  let shown = 0;
  for (const { row, index } of failing) {
    const block = stageSection(row, index, options.listId);
    if (shown >= maxBody || chars + messageChars([block]) > MAX_MESSAGE_CHARS) break;
    blocks.push(block);
    chars += messageChars([block]);
    shown++;
  }
  // Quiet stages only after every failing one, packed as lines: they need no button.
  if (shown === failing.length) {
    let text = '*No 5xx*';
    for (const { row } of ranked.slice(failing.length)) {
      const line = `• ${stageLine(row)}`;
      const next = `${text}\n${line}`;
      if (next.length > SECTION_ROOM || chars + next.length > MAX_MESSAGE_CHARS || blocks.length > maxBody) break;
      text = next;
      shown++;
    }
    if (text !== '*No 5xx*') blocks.push(section(text));
  }
  const more = n - shown;
  if (more > 0) {
    const cli = ['apigw-doctor', ...['apis', '--since', options.sinceLabel, ...(region ? ['--region', region] : [])].map(shellQuote)].join(' ');
    blocks.push(context(`+${more} more stage${more === 1 ? '' : 's'} — ${inlineCode(cli, 300)} lists all`));
  }
  blocks.push(...tail);
  const top = failing
    .slice(0, 3)
    .map(({ row }) => `${oneLine(row.apiName)} ${oneLine(row.stage)} (${formatCount(row.count5xx)})`)
    .join(', ');
  return { text: fallbackText(`${headText}: ${top}${failing.length > 3 ? ', …' : ''}`), blocks };
}

/** A failing stage, with its Investigate button when its index can be carried (and read back). */
function stageSection(row: ApiStageErrors, index: number, listId?: string): SectionBlock {
  const block = section(stageLine(row));
  const value = encodeActionValue({ row: index, ...(listId !== undefined ? { list: listId } : {}) });
  if (readInvestigateAction(value) === undefined) return block;
  return { ...block, accessory: button(ACTION_IDS.investigate, 'Investigate', value, `Investigate the 5xx of ${oneLine(row.apiName)} ${oneLine(row.stage)}`) };
}

/** `*orders-api* prod · 1,218 5xx · 48,180 requests · 2.5%`. */
function stageLine(row: ApiStageErrors): string {
  const requests = `${formatCount(row.count)} request${row.count === 1 ? '' : 's'}`;
  return `*${plain(clipText(oneLine(row.apiName), CLIP.name))}* ${plain(clipText(oneLine(row.stage), CLIP.stage))} · ${formatCount(row.count5xx)} 5xx · ${requests} · ${plain(formatRate(row.errorRate))}`;
}

/** Worst first, as `rankStages` in list-apis.ts orders them (restated: a value import of it would pull the collectors in). */
function compareStages(a: ApiStageErrors, b: ApiStageErrors): number {
  return b.count5xx - a.count5xx || b.errorRate - a.errorRate || a.apiName.localeCompare(b.apiName) || a.stage.localeCompare(b.stage);
}

/** "Could not read": the APIs whose stages were left out, with the reason and the fix. */
function skippedBlock(list: ApiErrorList): KnownBlock | undefined {
  if (list.skipped.length === 0) return undefined;
  const lines = list.skipped.slice(0, MAX_SKIPPED).map((s) => `• ${plain(clipText(oneLine(sourceLabel(s.source)), 80))}: ${plain(clipText(oneLine(s.reason), CLIP.reason))}${s.fix ? ` — fix: ${plain(clipText(oneLine(s.fix), CLIP.fix))}` : ''}`);
  const more = list.skipped.length - lines.length;
  return section(['*Could not read* (left out of the list)', ...lines, ...(more > 0 ? [`• and ${more} more`] : [])].join('\n'));
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Helpers
// ────────────────────────────────────────────────────────────────────────────────────────────────



