/**
 * The daily 5xx digest as Block Kit: the message posted in the channel (a headline, the stages with the
 * most 5xx each with an Investigate button, "…and N more" with a Show all button, what could not be
 * read) and the full list posted in its thread when Show all is clicked. What `renderDigestReport`
 * prints in a terminal, worded alike (`src/render/digest-report.ts`). Pure: data in, `{ text, blocks }`
 * out; API names, stages, accounts and log text are escaped (`mrkdwn.ts`) and both messages keep to
 * Block Kit's limits (`limits.ts`).
 *
 * Buttons carry references, never targets: Investigate carries `{ row: i }`, `i` the stage's index in
 * `data.rows` (the digest kept in Redis for the message); Show all carries `{ row: 0 }` and the handler
 * looks the digest up by the message clicked.
 */
import type { ActionsBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { DigestData, DigestRow } from '../collect/digest-data';
import { formatCount, formatRate } from '../render/describe-target';
import { DIGEST_ROWS, causePhrase, digestHeadline, failingRows, formatDelta, placeLabel, spansManyPlaces, stageName, unreadableText } from '../render/digest-report';
import type { IndexedRow } from '../render/digest-report';
import { ACTION_IDS, encodeActionValue, readInvestigateAction } from './actions';
import type { SlackMessage } from './blocks';
import { MAX_BLOCKS, MAX_MESSAGE_CHARS, MAX_SECTION_TEXT, button, context, fallbackText, keepWithinLimits, messageChars, oneLine, section } from './limits';
import { clipText, inlineCode, plain } from './mrkdwn';

/** The block holding the digest's Show all button. */
export const DIGEST_ACTIONS_BLOCK_ID = 'apigw_digest_actions';

/** Room left in a section for what is packed into it, under Slack's 3,000. */
const SECTION_ROOM = MAX_SECTION_TEXT - 100;
/** Characters kept free for the last lines ("…and N more", how many are listed). */
const TAIL_RESERVE = 400;
/** What a reader sees of a long piece of text. */
const CLIP = { name: 120, stage: 80, account: 60, reason: 300, fix: 400, quote: 80 } as const;
/** The CLI command that prints every stage, named when the thread's list cannot hold them all. */
const CLI_ALL = 'apigw-doctor digest --all';

export interface DigestOptions {
  /** "yesterday", "last 24h": how the headline names the period. */
  periodLabel: string;
  /** Stages shown before "…and N more" (default 10). */
  maxRows?: number;
  /** The id the rows and the digest are kept under (see `InvestigateActionValue`); absent: by the message. */
  listId?: string;
}

/**
 * The digest posted in the channel. A headline — `5xx yesterday: 3,412 across 4 of 37 APIs · worst
 * mover: payments-api prod (+1,900%)` — then one section per stage with 5xx, most first, up to
 * `maxRows`: `*payments-api* prod · 2,870 5xx · 4.1% · +1,900% · mostly integration timeout` (with the
 * account and Region when the digest spans several) and an Investigate button. When more stages have
 * 5xx: "…and N more" and a Show all N button. No 5xx anywhere: the all-quiet line alone. Each account
 * and Region that could not be read: a :warning: line with the reason and the fix. The fallback text
 * is the headline.
 */
export function digestMessage(data: DigestData, options: DigestOptions): SlackMessage {
  const headline = digestHeadline(data, options.periodLabel);
  const failing = failingRows(data);
  const tail = unreadableBlocks(data);
  if (failing.length === 0) return { text: fallbackText(headline), blocks: keepWithinLimits([section(plain(headline)), ...tail]) };

  const many = spansManyPlaces(data);
  const blocks: KnownBlock[] = [section(`*${plain(headline)}*`)];
  // The headline, the tail, "…and N more" and the Show all button stay within 50 blocks.
  const maxRows = Math.min(wholeOr(options.maxRows, DIGEST_ROWS), MAX_BLOCKS - blocks.length - tail.length - 2);
  let chars = messageChars([...blocks, ...tail]) + TAIL_RESERVE;
  let shown = 0;
  for (const r of failing) {
    if (shown >= maxRows) break;
    const block = rowSection(r, many, options.listId);
    if (chars + messageChars([block]) > MAX_MESSAGE_CHARS) break;
    blocks.push(block);
    chars += messageChars([block]);
    shown++;
  }
  const more = failing.length - shown;
  if (more > 0) {
    const n = formatCount(failing.length);
    const showAll: ActionsBlock = {
      type: 'actions',
      block_id: DIGEST_ACTIONS_BLOCK_ID,
      elements: [button(ACTION_IDS.digestAll, `Show all ${n}`, encodeActionValue({ row: 0, ...(options.listId !== undefined ? { list: options.listId } : {}) }), `Show all ${n} stages with 5xx in the thread`)],
    };
    blocks.push(context(`…and ${formatCount(more)} more`), showAll);
  }
  blocks.push(...tail);
  return { text: fallbackText(headline), blocks: keepWithinLimits(blocks) };
}

/**
 * Every stage with 5xx, most first, for the digest's thread (Show all). One section per stage with its
 * Investigate button while they fit in 50 blocks; beyond that the first ones keep their buttons and the
 * rest are packed several to a section, as lines. A last line says how many are listed (and which
 * command lists the rest when 12,000 characters cannot hold them all).
 */
export function digestAllMessage(data: DigestData, options: { periodLabel: string; listId?: string }): SlackMessage {
  const period = oneLine(options.periodLabel);
  const failing = failingRows(data);
  const n = failing.length;
  if (n === 0) {
    const none = `No stage had 5xx ${period}.`;
    return { text: fallbackText(none), blocks: [section(plain(none))] };
  }
  const many = spansManyPlaces(data);
  const stages = `${formatCount(n)} stage${n === 1 ? '' : 's'} with 5xx ${period}`;
  const head = section(`*${plain(stages)}*, most first`);
  const lines = failing.map((r) => rowText(r.row, many));

  // Characters decide how many rows are listed: a row costs about as much alone as packed.
  const budget = MAX_MESSAGE_CHARS - messageChars([head]) - TAIL_RESERVE;
  let listed = 0;
  let used = 0;
  for (const line of lines) {
    const cost = Math.min(line.length, MAX_SECTION_TEXT) + 3;
    if (used + cost > budget) break;
    used += cost;
    listed++;
  }
  // Blocks decide how many keep their own section and button; the rest are packed.
  const room = MAX_BLOCKS - 2;
  let buttoned = Math.min(listed, room);
  let packed: string[] = [];
  if (listed > room) {
    for (buttoned = room - 1; buttoned >= 0; buttoned--) {
      packed = pack(lines.slice(buttoned, listed).map((l) => `• ${l}`));
      if (buttoned + packed.length <= room) break;
    }
  }
  const blocks: KnownBlock[] = [head, ...failing.slice(0, buttoned).map((r) => rowSection(r, many, options.listId)), ...packed.map((text) => section(text))];
  const buttons = buttoned < listed && buttoned > 0 ? `; Investigate buttons on the first ${formatCount(buttoned)}` : '';
  blocks.push(
    context(listed === n ? `All ${formatCount(n)} listed${buttons}.` : `${formatCount(listed)} of ${formatCount(n)} listed${buttons} — ${inlineCode(CLI_ALL)} lists every stage.`),
  );
  const top = failing
    .slice(0, 3)
    .map(({ row }) => `${stageName(row)} (${formatCount(row.count5xx)})`)
    .join(', ');
  return { text: fallbackText(`${stages}: ${top}${n > 3 ? ', …' : ''}`), blocks: keepWithinLimits(blocks) };
}

/** A stage's section, with its Investigate button when its index can be carried (and read back). */
function rowSection(r: IndexedRow, many: boolean, listId?: string): SectionBlock {
  const block = section(rowText(r.row, many));
  const value = encodeActionValue({ row: r.index, ...(listId !== undefined ? { list: listId } : {}) });
  if (readInvestigateAction(value) === undefined) return block;
  return { ...block, accessory: button(ACTION_IDS.investigate, 'Investigate', value, `Investigate the 5xx of ${stageName(r.row)}`) };
}

/** `*payments-api* prod (account prod us-east-1) · 2,870 5xx · 4.1% · +1,900% · mostly integration timeout`. */
function rowText(row: DigestRow, many: boolean): string {
  const name = `*${plain(clipText(oneLine(row.apiName) || row.apiId, CLIP.name))}* ${plain(clipText(oneLine(row.stage), CLIP.stage))}`;
  const where = many ? ` (${plain(placeLabel({ account: clipText(oneLine(row.account ?? ''), CLIP.account), region: row.region }))})` : '';
  const parts = [`${name}${where}`, `${formatCount(row.count5xx)} 5xx`, plain(formatRate(row.errorRate)), plain(formatDelta(row))];
  const cause = causePhrase(row.likelyCause);
  if (cause) parts.push(`${plain(cause.text)}${cause.quote === undefined ? '' : `: ${inlineCode(cause.quote, CLIP.quote)}`}`);
  return parts.join(' · ');
}

/** The accounts and Regions that could not be read: one :warning: line each with the reason and the fix, in one section. */
function unreadableBlocks(data: DigestData): KnownBlock[] {
  if (data.unreadable.length === 0) return [];
  const lines: string[] = [];
  for (const part of data.unreadable) {
    const clipped = { ...part, account: part.account === undefined ? undefined : clipText(oneLine(part.account), CLIP.account), reason: clipText(oneLine(part.reason), CLIP.reason), fix: clipText(oneLine(part.fix), CLIP.fix) };
    const line = `:warning: ${plain(unreadableText(clipped))}`;
    if ([...lines, line].join('\n').length > SECTION_ROOM - 80) break;
    lines.push(line);
  }
  const more = data.unreadable.length - lines.length;
  if (more > 0) lines.push(`:warning: and ${formatCount(more)} more account${more === 1 ? '' : 's'} or Region${more === 1 ? '' : 's'} could not be read`);
  return [section(lines.join('\n'))];
}

/** Rows packed into sections, as many lines to a section as fit. */
function pack(lines: readonly string[]): string[] {
  const out: string[] = [];
  let text = '';
  for (const line of lines) {
    if (text !== '' && text.length + 1 + line.length > SECTION_ROOM) {
      out.push(text);
      text = '';
    }
    text = text === '' ? line : `${text}\n${line}`;
  }
  if (text !== '') out.push(text);
  return out;
}

/** A whole number of at least 1, or the default. */
function wholeOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}
