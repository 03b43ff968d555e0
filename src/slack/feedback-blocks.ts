/**
 * Feedback on findings, as Block Kit: the 👍/👎 buttons under each finding, the "what was it?" that
 * follows a 👎, the short confirmations of a click, and `/apigw stats` (how often each cause was
 * right). Pure: data in, `{ text, blocks }` out; titles are escaped (`mrkdwn.ts`) and every message
 * keeps to Block Kit's limits (`limits.ts`).
 *
 * Slack wants an `action_id` unique within its block, so each "what was it?" answer is a block of its
 * own, and each finding's 👍/👎 pair is one block whose `block_id` names the finding.
 */
import type { KnownBlock } from '@slack/types';
import { percent } from '../render/text-report';
import type { VoteActionValue } from './actions';
import { ACTION_IDS, SOMETHING_ELSE, encodeActionValue, readWasInsteadAction } from './actions';
import type { SlackMessage } from './blocks';
import { MAX_BLOCKS, MAX_MESSAGE_CHARS, button, context, fallbackText, header, messageChars, oneLine, section } from './limits';
import { clipText, inlineCode, plain } from './mrkdwn';

/**
 * One cause's votes, as `/apigw stats` shows them: the shape of `CauseStats` (src/queue/votes.ts),
 * restated here because src/slack imports nothing of src/queue but its plain contracts.
 */
export interface CauseStatsRow {
  causeId: string;
  title: string;
  up: number;
  down: number;
  /** up / (up + down); undefined with no votes. */
  precision?: number;
  /** What 👎 voters said it was instead (a cause id, or `other`: something else), most named first. */
  instead: { causeId: string; title?: string; count: number }[];
}

/** Answers offered to "what was it?", "Something else" included. */
export const MAX_INSTEAD_CHOICES = 10;
/** Causes listed by `statsMessage` at most; the rest are counted in its last line. */
export const MAX_STATS_CAUSES = 25;
/** "Said instead" answers listed per cause; the rest are counted. */
const MAX_INSTEAD_LISTED = 5;
/** What a reader sees of a title. */
const CLIP_TITLE = 150;
/** Characters kept free for the last lines of the stats message. */
const STATS_RESERVE = 600;

/** The `block_id` of a finding's 👍/👎 block: unique per finding within a message. */
export const voteBlockId = (finding: number): string => `apigw_vote_${finding}`;

/**
 * The 👍/👎 buttons of one finding (its 1-based number as shown, and its cause), to put right under
 * it. Both carry `{ thread, finding, cause }`; screen readers hear which finding a button is about.
 */
export function voteBlock(threadTs: string, finding: number, causeId: string, title: string): KnownBlock {
  const value = encodeActionValue({ thread: threadTs, finding, cause: causeId });
  return {
    type: 'actions',
    block_id: voteBlockId(finding),
    elements: [
      button(ACTION_IDS.voteUp, '👍', value, `Finding ${finding} was right: ${title}`),
      button(ACTION_IDS.voteDown, '👎', value, `Finding ${finding} was wrong: ${title}`),
    ],
  };
}

/**
 * The answer to a 👎 (best sent ephemerally, to the voter only): thanks, and "what was it?" with one
 * button per other cause of the thread (at most 9, the vote's own cause and repeats left out) and
 * "Something else". Each button carries the vote plus `instead`.
 */
export function whatWasItMessage(vote: VoteActionValue, title: string, others: readonly { causeId: string; title: string }[]): SlackMessage {
  const choices: { instead: string; label: string; a11y: string }[] = [];
  const seen = new Set([vote.cause, SOMETHING_ELSE]);
  for (const o of others) {
    if (choices.length >= MAX_INSTEAD_CHOICES - 1) break;
    if (seen.has(o.causeId)) continue;
    seen.add(o.causeId);
    const label = oneLine(o.title) || o.causeId;
    choices.push({ instead: o.causeId, label, a11y: `It was ${label}` });
  }
  choices.push({ instead: SOMETHING_ELSE, label: 'Something else', a11y: 'It was something else' });
  const blocks: KnownBlock[] = [section(`Thanks — noted 👎 on *${plain(clipTitle(title))}*. What was it?`)];
  choices.forEach((c, i) => {
    const value = encodeActionValue({ thread: vote.thread, finding: vote.finding, cause: vote.cause, instead: c.instead });
    // A value Slack would hand back unreadable (a malformed cause id) is no use as an answer.
    if (readWasInsteadAction(value) === undefined) return;
    blocks.push({ type: 'actions', block_id: `apigw_was_instead_${i + 1}`, elements: [button(ACTION_IDS.wasInstead, c.label, value, c.a11y)] });
  });
  return { text: fallbackText(`Thanks — noted 👎 on ${title}. What was it?`), blocks };
}

/**
 * A short confirmation of a click: a new vote ("Noted 👍 on …"), a changed one ("Changed your vote
 * to 👍 on …"), the same one again, or an answer to "what was it?" (`insteadTitle`; none: something
 * else). `previous` is what `VoteStore.vote` replaced.
 */
export function voteNotedMessage(kind: 'up' | 'down' | 'instead', title: string, previous?: 'up' | 'down', insteadTitle?: string): SlackMessage {
  const t = clipTitle(title);
  let text: string;
  let mrkdwn: string;
  if (kind === 'instead') {
    const named = insteadTitle !== undefined && oneLine(insteadTitle) !== '' ? clipTitle(insteadTitle) : undefined;
    text = named !== undefined ? `Thanks — noted it was ${named}, not ${t}.` : `Thanks — noted it was something else, not ${t}.`;
    mrkdwn = named !== undefined ? `Thanks — noted it was *${plain(named)}*, not *${plain(t)}*.` : `Thanks — noted it was something else, not *${plain(t)}*.`;
  } else {
    const thumb = kind === 'up' ? '👍' : '👎';
    const [before, after] = previous === undefined ? ['Noted', ''] : previous === kind ? ['Still', ' (one vote per person)'] : ['Changed your vote to', ''];
    text = `${before} ${thumb} on ${t}${after}.`;
    mrkdwn = `${before} ${thumb} on *${plain(t)}*${after}.`;
  }
  return { text: fallbackText(text), blocks: [section(mrkdwn)] };
}

/**
 * `/apigw stats`: per cause (most voted first), its title and id, 👍 and 👎 counts, precision, and
 * what 👎 voters said it was instead. With no votes, one line saying so and how to vote. Many causes:
 * the first that fit (at most 25) and "+N more causes".
 */
export function statsMessage(stats: readonly CauseStatsRow[], days: number): SlackMessage {
  const title = `How often each cause was right (last ${days === 1 ? 'day' : `${days} days`})`;
  const head = header(title);
  const howToVote = 'Vote with the 👍/👎 buttons under each finding the bot posts in a thread; a 👎 then asks what it was instead.';
  const rows = stats.filter((s) => s.up + s.down > 0);
  if (rows.length === 0) {
    const none = `No votes on findings in the last ${days === 1 ? 'day' : `${days} days`}.`;
    return { text: fallbackText(`${title}: ${none}`), blocks: [head, section(`${none} ${howToVote}`)] };
  }
  const foot = context(`Precision: 👍 ÷ (👍 + 👎). ${howToVote}`);
  const body: KnownBlock[] = [];
  let chars = messageChars([head, foot]) + STATS_RESERVE;
  for (const row of rows) {
    // Header, causes, "+N more" and the footer: within 50 blocks.
    if (body.length >= Math.min(MAX_STATS_CAUSES, MAX_BLOCKS - 3)) break;
    const block = section(statsLine(row));
    if (chars + messageChars([block]) > MAX_MESSAGE_CHARS) break;
    body.push(block);
    chars += messageChars([block]);
  }
  const more = rows.length - body.length;
  const blocks = [head, ...body, ...(more > 0 ? [context(`+${more} more cause${more === 1 ? '' : 's'} with fewer votes`)] : []), foot];
  const summary = rows
    .slice(0, 5)
    .map((r) => `${oneLine(r.title)} ${r.precision !== undefined ? percent(r.precision) : '–'} (${r.up + r.down})`)
    .join(', ');
  return { text: fallbackText(`${title}: ${summary}${rows.length > 5 ? ', …' : ''}`), blocks };
}

/** One cause: title and id, counts and precision, what 👎 voters named instead. */
function statsLine(row: CauseStatsRow): string {
  const lines = [
    `*${plain(clipTitle(row.title) || row.causeId)}* ${inlineCode(row.causeId, 80)}`,
    `👍 ${row.up} · 👎 ${row.down} · precision ${row.precision !== undefined ? percent(row.precision) : '–'}`,
  ];
  if (row.instead.length > 0) {
    const named = row.instead.slice(0, MAX_INSTEAD_LISTED).map((i) => `${i.causeId === SOMETHING_ELSE ? 'something else' : plain(clipText(oneLine(i.title ?? '') || i.causeId, 80))} (${i.count})`);
    const rest = row.instead.length - MAX_INSTEAD_LISTED;
    lines.push(`👎 said instead: ${named.join(', ')}${rest > 0 ? `, +${rest} more` : ''}`);
  }
  return lines.join('\n');
}



function clipTitle(title: string): string {
  return clipText(oneLine(title), CLIP_TITLE);
}

