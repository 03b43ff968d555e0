/**
 * Help, written from the registry: every request that works now, with its usage, what it does and
 * examples; given a topic, that one request. Follow-ups get their own help (what to type in an
 * answered thread). Nothing here lists a request that is not registered.
 */
import type { KnownBlock } from '@slack/types';
import type { SlackMessage } from '../slack/blocks';
import { context, header, section } from '../slack/limits';
import { clipText, inlineCode, plain } from '../slack/mrkdwn';
import type { RequestSpec } from './spec';

const MENTION_USAGE = '@apigw-doctor <question>';
const MENTION_SUMMARY = 'Ask in your own words, in a channel or a thread; the answer comes in the thread. Times such as "since 9am" are read in your time zone.';
const MENTION_EXAMPLES = ['@apigw-doctor why is orders-api throwing 504s since 9am?', '@apigw-doctor what’s wrong with payments-http in dev, 500s in the last 2 hours'];

function entry(usage: string, summary: string, examples: readonly string[]): string {
  return [`*${plain(usage)}*`, plain(summary), ...examples.map((e) => `• ${inlineCode(e)}`)].join('\n');
}

/** The text after `/apigw` in a spec's usage. */
function commandUsage(spec: RequestSpec): string {
  return spec.where === 'command' ? `/apigw ${spec.usage}` : spec.usage;
}

/**
 * Usage of every command (and @mentions, and the follow-ups of an answered thread), with examples;
 * given a topic (a command or follow-up word, `mention`, `follow-ups`), only that, plus how to see everything.
 */
export function helpMessage(specs: readonly RequestSpec[], topic?: string): SlackMessage {
  const wanted = topic?.trim().toLowerCase().replace(/^\/apigw\s+/, '').replace(/^@/, '');
  const commands = specs.filter((s) => s.where === 'command');
  const followUps = specs.filter((s) => s.where === 'thread');
  if (wanted === 'follow-ups' || wanted === 'followups' || wanted === 'thread') return followUpHelpMessage(specs);
  const one = specs.find((s) => s.name === wanted || (s.aliases ?? []).includes(wanted ?? ''));
  const mention = wanted === 'mention' || wanted === 'mentions' || wanted === 'apigw-doctor';
  const blocks: KnownBlock[] = [];
  if (one) {
    blocks.push(header(clipText(`apigw-doctor: ${commandUsage(one)}`, 150)), section(entry(commandUsage(one), one.summary, one.examples)));
    if (one.where === 'thread') blocks.push(context('Type it in the thread of one of my answers (no need to mention me).'));
  } else if (mention) {
    blocks.push(header('apigw-doctor: ask in your own words'), section(entry(MENTION_USAGE, MENTION_SUMMARY, MENTION_EXAMPLES)));
  } else {
    blocks.push(header('apigw-doctor: why is my API returning 5xx?'));
    if (wanted !== undefined && wanted !== '') blocks.push(section(plain(`No help on "${clipText(topic ?? '', 40)}"; here is everything.`)));
    for (const spec of commands) blocks.push(section(entry(commandUsage(spec), spec.summary, spec.examples)));
    blocks.push(section(entry(MENTION_USAGE, MENTION_SUMMARY, MENTION_EXAMPLES)));
    blocks.push(section(`*In the thread of an answer* (no mention needed): ${followUps.map((s) => inlineCode(s.usage)).join(' · ')}, or paste log lines or an error response. ${inlineCode('/apigw help follow-ups')} says more.`));
  }
  blocks.push(context(`Options for why, check and apis: ${inlineCode('--account <alias>')} ${inlineCode('--region <region>')}. The same investigation in a terminal: ${inlineCode('apigw-doctor why 502 orders-api')}.`));
  const text = one
    ? `${commandUsage(one)}: ${one.summary}`
    : `apigw-doctor: ${commands.map((s) => `/apigw ${s.usage}`).join(' · ')} · or @mention me with a question`;
  return { text: clipText(text, 3000), blocks };
}

/** What can be typed in the thread of an answer. */
export function followUpHelpMessage(specs: readonly RequestSpec[], unknown?: string): SlackMessage {
  const followUps = specs.filter((s) => s.where === 'thread');
  const intro = unknown !== undefined ? `I did not understand "${clipText(unknown, 60)}" here. In this thread you can type:` : 'In the thread of one of my answers you can type (no need to mention me):';
  const lines = followUps.map((s) => `• ${inlineCode(s.usage)} — ${plain(s.summary)}`);
  lines.push('• paste log lines or an error response (a code block, or several log lines) — diagnosed with this thread’s evidence');
  const blocks: KnownBlock[] = [section(plain(intro)), section(lines.join('\n'))];
  blocks.push(context(`A new question starts its own thread: ${inlineCode('/apigw why 502 orders-api')} in the channel.`));
  return { text: `${intro} ${followUps.map((s) => s.usage).join(', ')}, or paste log lines`, blocks };
}

/** The slash command's usage hint (manifest.yml `usage_hint`), from the commands' short forms. */
export function usageHint(specs: readonly RequestSpec[]): string {
  return specs
    .filter((s) => s.where === 'command')
    .map((s) => s.hint ?? s.name)
    .join(' · ');
}
