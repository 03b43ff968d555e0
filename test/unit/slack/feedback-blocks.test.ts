import type { ActionsBlock } from '@slack/types';
import { ACTION_IDS, SOMETHING_ELSE, readVoteAction, readWasInsteadAction } from '../../../src/slack/actions';
import type { SlackMessage } from '../../../src/slack/blocks';
import type { CauseStatsRow } from '../../../src/slack/feedback-blocks';
import { MAX_INSTEAD_CHOICES, MAX_STATS_CAUSES, statsMessage, voteBlock, voteNotedMessage, whatWasItMessage } from '../../../src/slack/feedback-blocks';
import { MAX_BLOCKS, MAX_CONTEXT_ELEMENTS, MAX_HEADER_TEXT, MAX_MESSAGE_CHARS, MAX_SECTION_TEXT, messageChars } from '../../../src/slack/limits';
import { all, buttons, texts } from '../../helpers/block-kit';

const THREAD = '1764082800.000100';
const vote = { thread: THREAD, finding: 1, cause: 'malformed-lambda-proxy-response' };
const HOSTILE = 'Bad <@U123|boss> & <https://evil.example|click> ```rm -rf /``` <!channel>';

/** Slack's limits, and no markup but the builders' own. */
function expectWithinLimits(message: SlackMessage): void {
  expect(message.text.trim().length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(3000);
  expect(message.blocks.length).toBeGreaterThan(0);
  expect(message.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  expect(messageChars(message.blocks)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  for (const { kind, text } of texts(message)) {
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(kind === 'header' ? MAX_HEADER_TEXT : MAX_SECTION_TEXT);
    if (kind === 'header') continue;
    expect(text).not.toMatch(/</);
    expect((text.match(/```/g) ?? []).length % 2).toBe(0);
  }
  for (const b of message.blocks) if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(MAX_CONTEXT_ELEMENTS);
  expect(message.text).not.toMatch(/</);
  const ids = message.blocks.map((b) => b.block_id).filter((id) => id !== undefined);
  expect(new Set(ids).size).toBe(ids.length);
  for (const b of message.blocks.filter((x): x is ActionsBlock => x.type === 'actions')) {
    const actionIds = b.elements.map((e) => ('action_id' in e ? e.action_id : undefined));
    expect(new Set(actionIds).size).toBe(actionIds.length);
    expect(b.elements.length).toBeLessThanOrEqual(25);
  }
  for (const button of buttons(message.blocks)) {
    expect(button.text.text.length).toBeLessThanOrEqual(75);
    expect(button.accessibility_label?.length ?? 0).toBeLessThanOrEqual(75);
    expect(button.value?.length ?? 0).toBeLessThanOrEqual(2000);
  }
}

describe('voteBlock', () => {
  it('holds 👍 and 👎 carrying the finding, in a block of its own per finding', () => {
    const blocks = [1, 2, 3].map((n) => voteBlock(THREAD, n, `cause-${n}`, `Cause number ${n}`));
    expect(new Set(blocks.map((b) => b.block_id)).size).toBe(3);
    expect(blocks[1]?.block_id).toBe('apigw_vote_2');
    const [up, down] = buttons([blocks[1]!]);
    expect(up?.action_id).toBe(ACTION_IDS.voteUp);
    expect(down?.action_id).toBe(ACTION_IDS.voteDown);
    expect([up?.text.text, down?.text.text]).toEqual(['👍', '👎']);
    for (const b of [up, down]) expect(readVoteAction(b?.value ?? '')).toEqual({ thread: THREAD, finding: 2, cause: 'cause-2' });
    expect(up?.accessibility_label).toMatch(/^Finding 2 was right: Cause number 2$/);
    expect(down?.accessibility_label).toMatch(/^Finding 2 was wrong/);
  });

  it('keeps a long title within the accessibility label’s 75 characters', () => {
    const [up] = buttons([voteBlock(THREAD, 12, 'c', `A very long title ${'x'.repeat(200)}\nsecond line`)]);
    expect(up?.accessibility_label?.length).toBeLessThanOrEqual(75);
    expect(up?.accessibility_label).toMatch(/^Finding 12 was right: A very long title x+…$/);
  });
});

describe('whatWasItMessage', () => {
  const others = [
    { causeId: 'malformed-lambda-proxy-response', title: 'Malformed Lambda proxy response' },
    { causeId: 'integration-timeout', title: 'Integration timeout (29 s)' },
    { causeId: 'integration-timeout', title: 'Integration timeout again' },
    { causeId: 'lambda-throttled', title: 'Lambda throttled' },
  ];

  it('offers the thread’s other causes and "Something else", each answer readable back', () => {
    const message = whatWasItMessage(vote, 'Malformed Lambda proxy response', others);
    expectWithinLimits(message);
    expect(all(message)).toContain('Thanks — noted 👎 on *Malformed Lambda proxy response*. What was it?');
    const answers = buttons(message.blocks);
    expect(answers.map((b) => b.text.text)).toEqual(['Integration timeout (29 s)', 'Lambda throttled', 'Something else']);
    expect(answers.every((b) => b.action_id === ACTION_IDS.wasInstead)).toBe(true);
    expect(answers.map((b) => readWasInsteadAction(b.value ?? ''))).toEqual([
      { ...vote, instead: 'integration-timeout' },
      { ...vote, instead: 'lambda-throttled' },
      { ...vote, instead: SOMETHING_ELSE },
    ]);
  });

  it('offers at most ten answers, and only "Something else" when the thread had one finding', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ causeId: `cause-${i}`, title: `Cause ${i}` }));
    const message = whatWasItMessage(vote, 'Malformed', many);
    expectWithinLimits(message);
    const answers = buttons(message.blocks);
    expect(answers).toHaveLength(MAX_INSTEAD_CHOICES);
    expect(answers.at(-1)?.text.text).toBe('Something else');
    expect(buttons(whatWasItMessage(vote, 'Malformed', []).blocks).map((b) => b.text.text)).toEqual(['Something else']);
  });

  it('drops an answer whose cause id could not be read back', () => {
    const answers = buttons(whatWasItMessage(vote, 'Malformed', [{ causeId: 'Not A Cause!', title: 'Odd' }]).blocks);
    expect(answers.map((b) => b.text.text)).toEqual(['Something else']);
  });

  it('escapes the title and keeps hostile titles out of the markup', () => {
    const message = whatWasItMessage(vote, HOSTILE, [{ causeId: 'other-cause', title: HOSTILE }]);
    expectWithinLimits(message);
    expect(all(message)).toContain('&lt;@U123|boss&gt; &amp; &lt;https://evil.example|click&gt;');
    expect(all(message)).not.toContain('```');
    // Buttons are plain text: shown as written, one line, clipped.
    expect(buttons(message.blocks)[0]?.text.text).toBe(HOSTILE);
  });
});

describe('voteNotedMessage', () => {
  it('says what happened to the vote', () => {
    expect(voteNotedMessage('up', 'Lambda throttled').text).toBe('Noted 👍 on Lambda throttled.');
    expect(voteNotedMessage('down', 'Lambda throttled', 'up').text).toBe('Changed your vote to 👎 on Lambda throttled.');
    expect(voteNotedMessage('up', 'Lambda throttled', 'down').text).toBe('Changed your vote to 👍 on Lambda throttled.');
    expect(voteNotedMessage('up', 'Lambda throttled', 'up').text).toBe('Still 👍 on Lambda throttled (one vote per person).');
    expect(voteNotedMessage('instead', 'Lambda throttled', undefined, 'Integration timeout').text).toBe('Thanks — noted it was Integration timeout, not Lambda throttled.');
    expect(voteNotedMessage('instead', 'Lambda throttled').text).toBe('Thanks — noted it was something else, not Lambda throttled.');
    expect(all(voteNotedMessage('up', 'Lambda throttled', 'down'))).toBe('Changed your vote to 👍 on *Lambda throttled*.');
  });

  it('escapes titles', () => {
    for (const message of [voteNotedMessage('up', HOSTILE), voteNotedMessage('instead', HOSTILE, undefined, HOSTILE)]) {
      expectWithinLimits(message);
      expect(all(message)).toContain('&amp;');
    }
  });
});

describe('statsMessage', () => {
  const row = (i: number, over: Partial<CauseStatsRow> = {}): CauseStatsRow => ({ causeId: `cause-${i}`, title: `Cause ${i}`, up: 10, down: 2, precision: 10 / 12, instead: [], ...over });

  it('shows each cause’s votes, precision and what 👎 said instead', () => {
    const message = statsMessage(
      [
        row(1, {
          causeId: 'malformed-lambda-proxy-response',
          title: 'Malformed Lambda proxy response',
          up: 12,
          down: 4,
          precision: 0.75,
          instead: [
            { causeId: 'integration-timeout', title: 'Integration timeout', count: 3 },
            { causeId: 'other', count: 1 },
          ],
        }),
        row(2),
      ],
      30,
    );
    expectWithinLimits(message);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'How often each cause was right (last 30 days)' } });
    const text = all(message);
    expect(text).toContain('*Malformed Lambda proxy response* `malformed-lambda-proxy-response`\n👍 12 · 👎 4 · precision 75%\n👎 said instead: Integration timeout (3), something else (1)');
    expect(text).toContain('*Cause 2* `cause-2`\n👍 10 · 👎 2 · precision 83%');
    expect(message.text).toContain('Malformed Lambda proxy response 75% (16)');
  });

  it('says so when nobody voted, and how to vote', () => {
    const message = statsMessage([], 30);
    expectWithinLimits(message);
    expect(all(message)).toMatch(/No votes on findings in the last 30 days\. Vote with the 👍\/👎 buttons under each finding/);
    expect(all(statsMessage([row(1, { up: 0, down: 0, precision: undefined })], 1))).toContain('No votes on findings in the last day.');
  });

  it('lists the top causes within Slack’s limits, and counts the rest', () => {
    const long = 'L'.repeat(2_000);
    const stats = Array.from({ length: 200 }, (_, i) =>
      row(i, { title: `${HOSTILE} ${long}`, instead: Array.from({ length: 8 }, (_, j) => ({ causeId: `cause-${j}`, title: `${HOSTILE} ${long}`, count: 8 - j })) }),
    );
    const message = statsMessage(stats, 30);
    expectWithinLimits(message);
    const shown = message.blocks.filter((b) => b.type === 'section').length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(MAX_STATS_CAUSES);
    expect(all(message)).toContain(`+${200 - shown} more causes with fewer votes`);
    expect(all(message)).toContain(', +3 more');

    const few = statsMessage(Array.from({ length: 60 }, (_, i) => row(i)), 30);
    expectWithinLimits(few);
    expect(few.blocks.filter((b) => b.type === 'section')).toHaveLength(MAX_STATS_CAUSES);
    expect(all(few)).toContain('+35 more causes with fewer votes');
  });
});
