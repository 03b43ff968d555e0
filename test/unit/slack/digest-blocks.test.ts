/** The daily 5xx digest in Slack: headline, rows with Investigate, "…and N more" + Show all, all quiet, what could not be read, limits. */
import type { SectionBlock } from '@slack/types';
import type { DigestData, DigestRow, UnreadablePart } from '../../../src/collect/digest-data';
import { ACTION_IDS, readInvestigateAction } from '../../../src/slack/actions';
import type { SlackMessage } from '../../../src/slack/blocks';
import { DIGEST_ACTIONS_BLOCK_ID, digestAllMessage, digestMessage } from '../../../src/slack/digest-blocks';
import { MAX_SECTION_TEXT } from '../../../src/slack/limits';
import { all, buttons, expectMessageLimits, rowsWithButtons, texts } from '../../helpers/block-kit';
import { digestOf } from '../../helpers/digest-data';

const HOSTILE = 'Bad <@U123|boss> & <!channel> ```x```';

function row(over: Partial<DigestRow>): DigestRow {
  const base: DigestRow = { account: 'prod', region: 'us-east-1', apiId: 'a1b2c3d4e5', apiName: 'orders-api', apiType: 'REST', stage: 'prod', count5xx: 0, count: 10_000, errorRate: 0, before5xx: 0, beforeCount: 10_000 };
  const r = { ...base, ...over };
  return { ...r, errorRate: r.count > 0 ? r.count5xx / r.count : 0 };
}

const digest = digestOf;

/** A busy day: 40 stages with 5xx over two accounts (and Regions), 5 without. */
function busyDay(): DigestData {
  const rows: DigestRow[] = [
    row({ apiId: 'o1', apiName: 'orders-api', count5xx: 3000, count: 100_000, before5xx: 2500, change: 0.2, likelyCause: { kind: 'cause', causeId: 'integration-timeout', title: 'Integration timeout', share: 0.8 } }),
    row({ apiId: 'p1', apiName: 'payments-api', count5xx: 2100, count: 51_220, before5xx: 100, change: 20, likelyCause: { kind: 'cause', causeId: 'lambda-proxy-malformed', title: 'Malformed Lambda proxy response', share: 0.9 } }),
    row({ account: 'staging', region: 'eu-west-1', apiId: 'c1', apiName: 'carts-api', count5xx: 900, count: 300_000, before5xx: 1500, change: -0.4, likelyCause: { kind: 'logging-off' } }),
    row({ account: 'staging', region: 'eu-west-1', apiId: 'l1', apiName: 'legacy-http', apiType: 'HTTP', stage: '$default', count5xx: 400, count: 1000, likelyCause: { kind: 'unknown', topMessage: 'Execution failed due to configuration error: <bad> & worse\nsecond line' } }),
    row({ apiId: 's1', apiName: 'search-api', count5xx: 300, count: 90_000, before5xx: 300, change: 0, likelyCause: { kind: 'unreadable', reason: 'AccessDeniedException on logs:StartQuery' } }),
    row({ apiId: 'f1', apiName: 'fulfil-api', count5xx: 290, count: 29_000, before5xx: 289, change: 1 / 289, likelyCause: { kind: 'cause', causeId: 'lambda-timeout', title: 'Lambda function timed out', share: 0.7 } }),
  ];
  for (let i = 0; i < 34; i++) {
    rows.push(row({ account: i % 2 === 0 ? 'prod' : 'staging', region: i % 2 === 0 ? 'us-east-1' : 'eu-west-1', apiId: `g${i}`, apiName: `svc-${String(i).padStart(2, '0')}`, count5xx: 250 - i * 5, count: 50_000, before5xx: 10, change: (240 - i * 5) / 10 }));
  }
  for (let i = 0; i < 5; i++) rows.push(row({ apiId: `q${i}`, apiName: `quiet-${i}`, count5xx: 0, count: 7_000 }));
  return digest(rows, { apiCount: 50 });
}

const UNREADABLE: UnreadablePart = {
  account: 'legacy',
  region: 'ap-southeast-2',
  reason: 'AccessDeniedException: not authorized to perform apigateway:GET on <restapis>',
  fix: 'add apigateway:GET on arn:aws:apigateway:ap-southeast-2::/restapis* to the role apigw-doctor assumes',
};

function expectWithinLimits(message: SlackMessage): void {
  expectMessageLimits(message);
  for (const { text } of texts(message)) {
    expect(text.trim().length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    expect(text).not.toMatch(/</);
    expect((text.match(/```/g) ?? []).length % 2).toBe(0);
  }
  for (const button of [...rowsWithButtons(message.blocks).map((r) => r.button), ...buttons(message.blocks)]) {
    expect(button.text.text.length).toBeLessThanOrEqual(75);
    expect(button.accessibility_label?.length ?? 0).toBeLessThanOrEqual(75);
    expect(button.value?.length ?? 0).toBeLessThanOrEqual(2000);
  }
}

const sectionTexts = (message: SlackMessage): string[] => texts(message).map((t) => t.text);

describe('digestMessage', () => {
  const data = busyDay();

  it('headline: total 5xx, APIs with 5xx of all, and the worst mover; it is the fallback text', () => {
    const message = digestMessage(data, { periodLabel: 'yesterday' });
    expectWithinLimits(message);
    const total = data.rows.reduce((n, r) => n + r.count5xx, 0);
    const headline = `5xx yesterday: ${total.toLocaleString('en-US')} across 40 of 50 APIs · worst mover: payments-api prod (+2,000%)`;
    expect(sectionTexts(message)[0]).toBe(`*${headline}*`);
    expect(message.text).toBe(headline);
  });

  it('worst mover: the largest rise in 5xx, "new" when there were none before, left out when nothing rose', () => {
    const newcomer = digest([row({ apiId: 'a', apiName: 'a-api', count5xx: 500, before5xx: 400, change: 0.25 }), row({ apiId: 'b', apiName: 'b-api', stage: 'dev', count5xx: 300 })]);
    expect(digestMessage(newcomer, { periodLabel: 'last 24h' }).text).toBe('5xx last 24h: 800 across 2 of 2 APIs · worst mover: b-api dev (new)');
    const falling = digest([row({ apiId: 'a', apiName: 'a-api', count5xx: 500, before5xx: 900, change: -0.444 }), row({ apiId: 'b', apiName: 'b-api', count5xx: 20, before5xx: 20, change: 0 })]);
    expect(digestMessage(falling, { periodLabel: 'yesterday' }).text).toBe('5xx yesterday: 520 across 2 of 2 APIs');
    const one = digest([row({ count5xx: 3, before5xx: 1, change: 2 })]);
    expect(digestMessage(one, { periodLabel: 'yesterday' }).text).toBe('5xx yesterday: 3 across 1 of 1 API · worst mover: orders-api prod (+200%)');
  });

  it('one section per top stage: where, 5xx, rate, Δ and the likely cause, with an Investigate button leading back to the row', () => {
    const message = digestMessage(data, { periodLabel: 'yesterday' });
    const rows = rowsWithButtons(message.blocks);
    expect(rows).toHaveLength(10);
    expect(rows.slice(0, 6).map((r) => r.text)).toEqual([
      '*orders-api* prod (account prod us-east-1) · 3,000 5xx · 3.0% · +20% · mostly integration timeout',
      '*payments-api* prod (account prod us-east-1) · 2,100 5xx · 4.1% · +2,000% · mostly malformed Lambda proxy response',
      '*carts-api* prod (account staging eu-west-1) · 900 5xx · 0.3% · −40% · logging is off',
      '*legacy-http* $default (account staging eu-west-1) · 400 5xx · 40.0% · new · no known cause: `Execution failed due to configuration error: &lt;bad&gt; &amp; worse second line`',
      '*search-api* prod (account prod us-east-1) · 300 5xx · 0.3% · — · logs unreadable (AccessDeniedException on logs:StartQuery)',
      '*fulfil-api* prod (account prod us-east-1) · 290 5xx · 1.0% · +&lt;1% · mostly Lambda function timed out',
    ]);
    expect(rows[6]?.text).toBe('*svc-00* prod (account prod us-east-1) · 250 5xx · 0.5% · +2,400%');
    for (const r of rows) {
      expect(r.button.action_id).toBe(ACTION_IDS.investigate);
      expect(r.button.text.text).toBe('Investigate');
      const value = readInvestigateAction(r.button.value ?? '');
      expect(value).toBeDefined();
      const shown = data.rows[value?.row ?? -1];
      expect(r.text.startsWith(`*${shown?.apiName}* ${shown?.stage} `)).toBe(true);
      expect(r.button.accessibility_label).toBe(`Investigate the 5xx of ${shown?.apiName} ${shown?.stage}`);
    }
  });

  it('button values are indexes into data.rows as given', () => {
    const given: DigestData = { ...digest([]), rows: [row({ apiName: 'quiet-api' }), row({ apiName: 'some-api', count5xx: 5 }), row({ apiName: 'worst-api', count5xx: 90 })], apiCount: 3 };
    const rows = rowsWithButtons(digestMessage(given, { periodLabel: 'yesterday' }).blocks);
    expect(rows.map((r) => [r.text.split(' ')[0], readInvestigateAction(r.button.value ?? '')?.row])).toEqual([
      ['*worst-api*', 2],
      ['*some-api*', 1],
    ]);
  });

  it('more stages than shown: "…and N more" and a Show all N button', () => {
    const message = digestMessage(data, { periodLabel: 'yesterday' });
    const more = texts(message).find((t) => t.kind === 'context');
    expect(more?.text).toBe('…and 30 more');
    const actions = message.blocks.find((b) => b.type === 'actions');
    expect(actions?.block_id).toBe(DIGEST_ACTIONS_BLOCK_ID);
    const showAll = buttons(message.blocks);
    expect(showAll).toHaveLength(1);
    expect(showAll[0]?.action_id).toBe(ACTION_IDS.digestAll);
    expect(showAll[0]?.action_id).toBe('apigw_digest_all');
    expect(showAll[0]?.text.text).toBe('Show all 40');
    expect(readInvestigateAction(showAll[0]?.value ?? '')).toEqual({ row: 0 });
    // The order: headline, rows, "…and N more", Show all.
    expect(message.blocks.map((b) => b.type)).toEqual(['section', ...Array<string>(10).fill('section'), 'context', 'actions']);

    const three = digestMessage(data, { periodLabel: 'yesterday', maxRows: 3 });
    expect(rowsWithButtons(three.blocks)).toHaveLength(3);
    expect(all(three)).toContain('…and 37 more');
    expect(buttons(three.blocks)[0]?.text.text).toBe('Show all 40');

    const everyRow = digestMessage(data, { periodLabel: 'yesterday', maxRows: 40 });
    expectWithinLimits(everyRow);
    expect(rowsWithButtons(everyRow.blocks)).toHaveLength(40);
    expect(all(everyRow)).not.toContain('more');
    expect(buttons(everyRow.blocks)).toHaveLength(0);
  });

  it('one account and Region: rows do not say where', () => {
    const single = digest([row({ apiName: 'orders-api', count5xx: 12, before5xx: 12, change: 0 }), row({ apiId: 'b', apiName: 'billing-api', count5xx: 4, before5xx: 8, change: -0.5 })]);
    const message = digestMessage(single, { periodLabel: 'yesterday' });
    expectWithinLimits(message);
    expect(rowsWithButtons(message.blocks).map((r) => r.text)).toEqual(['*orders-api* prod · 12 5xx · 0.1% · —', '*billing-api* prod · 4 5xx · &lt;0.1% · −50%']);
    expect(message.text).toBe('5xx yesterday: 16 across 2 of 2 APIs');
  });

  it('a quiet day: one line', () => {
    const quiet = digest(
      Array.from({ length: 52 }, (_, i) => row({ apiId: `a${i % 37}`, apiName: `api-${i % 37}`, stage: `s${i}`, count: i === 0 ? 1_204_330 - 51 * 10_000 : 10_000, before5xx: i === 0 ? 4 : 0, change: i === 0 ? -1 : undefined })),
    );
    const message = digestMessage(quiet, { periodLabel: 'yesterday' });
    expectWithinLimits(message);
    expect(message.blocks).toHaveLength(1);
    expect(all(message)).toBe('All quiet: no 5xx on any of 37 APIs (52 stages, 1,204,330 requests) yesterday.');
    expect(message.text).toBe(all(message));
    expect(rowsWithButtons(message.blocks)).toHaveLength(0);
    expect(buttons(message.blocks)).toHaveLength(0);
  });

  it('an account that could not be read: one line with the reason and the fix, on a busy and on a quiet day', () => {
    const partly = { ...data, unreadable: [UNREADABLE, { region: 'eu-central-1', reason: 'could not read: ExpiredToken', fix: 'refresh the credentials' }] };
    const message = digestMessage(partly, { periodLabel: 'yesterday' });
    expectWithinLimits(message);
    const warning =
      ':warning: account legacy ap-southeast-2: could not read (AccessDeniedException: not authorized to perform apigateway:GET on &lt;restapis&gt;) — add apigateway:GET on arn:aws:apigateway:ap-southeast-2::/restapis* to the role apigw-doctor assumes\n' +
      ':warning: eu-central-1: could not read: ExpiredToken — refresh the credentials';
    expect(sectionTexts(message).at(-1)).toBe(warning);
    expect(rowsWithButtons(message.blocks)).toHaveLength(10);

    const quiet = digest([row({ count: 900 })], { unreadable: [UNREADABLE] });
    const quietMessage = digestMessage(quiet, { periodLabel: 'last 24h' });
    expectWithinLimits(quietMessage);
    expect(sectionTexts(quietMessage)).toEqual(['All quiet: no 5xx on any of 1 API (1 stage, 900 requests) last 24h.', warning.split('\n')[0]]);

    const nothing = digestMessage(digest([], { unreadable: [UNREADABLE], apiCount: 0 }), { periodLabel: 'yesterday' });
    expect(sectionTexts(nothing)[0]).toBe('5xx yesterday: no API could be read.');
  });

  it('many unreadable parts stay within one section', () => {
    const unreadable = Array.from({ length: 40 }, (_, i) => ({ ...UNREADABLE, account: `acct-${i}`, reason: 'r'.repeat(500), fix: 'f'.repeat(500) }));
    const message = digestMessage({ ...data, unreadable }, { periodLabel: 'yesterday' });
    expectWithinLimits(message);
    const last = sectionTexts(message).at(-1) ?? '';
    expect(last).toMatch(/:warning: and \d+ more accounts or Regions could not be read$/);
    expect(rowsWithButtons(message.blocks)).toHaveLength(10);
  });

  it('escapes hostile API names, stages, accounts and messages', () => {
    const hostile = digest([
      row({ account: '<!here>', apiName: HOSTILE, stage: '<!channel>', count5xx: 70, before5xx: 1, change: 69, likelyCause: { kind: 'unknown', topMessage: '``` <@U1> ```' } }),
      row({ apiId: 'x', region: 'eu-west-1', apiName: 'ok-api', count5xx: 1, likelyCause: { kind: 'cause', causeId: 'x', title: '<script> & co', share: 1 } }),
    ]);
    const message = digestMessage(hostile, { periodLabel: 'yesterday' });
    expectWithinLimits(message);
    const text = all(message);
    expect(text).toContain('worst mover: Bad &lt;@U123|boss&gt; &amp; &lt;!channel&gt; ˋˋˋxˋˋˋ &lt;!channel&gt; (+6,900%)');
    expect(text).toContain('*Bad &lt;@U123|boss&gt; &amp; &lt;!channel&gt; ˋˋˋxˋˋˋ* &lt;!channel&gt; (account &lt;!here&gt; us-east-1) · 70 5xx');
    expect(text).toContain('no known cause: `ˋˋˋ &lt;@U1&gt; ˋˋˋ`');
    expect(text).toContain('mostly &lt;script&gt; &amp; co');
    expect(message.text).toContain('Bad &lt;@U123|boss&gt;');
  });

  it('stays within the limits with many long rows, however many are asked for', () => {
    const long = digest(
      Array.from({ length: 400 }, (_, i) =>
        row({ account: `acct-${i % 3}-${'a'.repeat(70)}`, apiId: `id${i}`, apiName: `api-${i}-${'n'.repeat(200)}`, stage: 's'.repeat(100), count5xx: 1000 - i, likelyCause: { kind: 'unknown', topMessage: 'm'.repeat(500) } }),
      ),
      { unreadable: [UNREADABLE] },
    );
    const message = digestMessage(long, { periodLabel: 'yesterday', maxRows: 1000 });
    expectWithinLimits(message);
    const rows = rowsWithButtons(message.blocks);
    expect(rows.length).toBeGreaterThan(10);
    expect(all(message)).toContain(`…and ${400 - rows.length} more`);
    expect(buttons(message.blocks)[0]?.text.text).toBe('Show all 400');
    expect(sectionTexts(message).at(-1)).toContain(':warning: account legacy ap-southeast-2');
  });
});

describe('digestAllMessage (Show all, in the thread)', () => {
  it('lists every stage with 5xx, each with its Investigate button, and says so', () => {
    const data = busyDay();
    const message = digestAllMessage(data, { periodLabel: 'yesterday' });
    expectWithinLimits(message);
    expect(sectionTexts(message)[0]).toBe('*40 stages with 5xx yesterday*, most first');
    const rows = rowsWithButtons(message.blocks);
    expect(rows).toHaveLength(40);
    expect(rows.map((r) => readInvestigateAction(r.button.value ?? '')?.row)).toEqual(data.rows.map((_, i) => i).slice(0, 40));
    expect(rows.every((r) => r.button.action_id === ACTION_IDS.investigate)).toBe(true);
    expect(sectionTexts(message).at(-1)).toBe('All 40 listed.');
    expect(message.text).toBe('40 stages with 5xx yesterday: orders-api prod (3,000), payments-api prod (2,100), carts-api prod (900), …');
  });

  it('too many for 50 blocks: the first keep their buttons, the rest are packed as lines', () => {
    const data = digest(Array.from({ length: 120 }, (_, i) => row({ apiId: `id${i}`, apiName: `api-${String(i).padStart(3, '0')}`, count5xx: 1000 - i })));
    const message = digestAllMessage(data, { periodLabel: 'yesterday' });
    expectWithinLimits(message);
    const rows = rowsWithButtons(message.blocks);
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.map((r) => readInvestigateAction(r.button.value ?? '')?.row)).toEqual(rows.map((_, i) => i));
    const packed = message.blocks.filter((b): b is SectionBlock => b.type === 'section' && b.accessory === undefined).slice(1);
    expect(packed.length).toBeGreaterThan(0);
    expect(packed[0]?.text?.text.split('\n')[0]).toBe(`• *api-${String(rows.length).padStart(3, '0')}* prod · ${(1000 - rows.length).toLocaleString('en-US')} 5xx · ${((1000 - rows.length) / 100).toFixed(1)}% · new`);
    const listed = rows.length + packed.reduce((n, b) => n + (b.text?.text.split('\n').length ?? 0), 0);
    expect(listed).toBe(120);
    expect(sectionTexts(message).at(-1)).toBe(`All 120 listed; Investigate buttons on the first ${rows.length}.`);
  });

  it('too many for 12,000 characters: says how many are listed and which command lists every stage', () => {
    const data = digest(Array.from({ length: 300 }, (_, i) => row({ apiId: `id${i}`, apiName: `api-${i}-${'n'.repeat(80)}`, count5xx: 1000 - i, likelyCause: { kind: 'cause', causeId: 'c', title: 'Integration timeout', share: 1 } })));
    const message = digestAllMessage(data, { periodLabel: 'yesterday' });
    expectWithinLimits(message);
    const last = sectionTexts(message).at(-1) ?? '';
    const m = /^(\d+) of 300 listed; Investigate buttons on the first (\d+) — `apigw-doctor digest --all` lists every stage\.$/.exec(last);
    expect(m).not.toBeNull();
    const rows = rowsWithButtons(message.blocks);
    expect(Number(m?.[2])).toBe(rows.length);
    const packedLines = message.blocks.filter((b): b is SectionBlock => b.type === 'section' && b.accessory === undefined).slice(1).reduce((n, b) => n + (b.text?.text.split('\n').length ?? 0), 0);
    expect(rows.length + packedLines).toBe(Number(m?.[1]));
  });

  it('escapes hostile names and handles no 5xx', () => {
    const message = digestAllMessage(digest([row({ apiName: HOSTILE, count5xx: 2 })]), { periodLabel: 'yesterday' });
    expectWithinLimits(message);
    expect(all(message)).toContain('*Bad &lt;@U123|boss&gt; &amp; &lt;!channel&gt; ˋˋˋxˋˋˋ* prod · 2 5xx');
    expect(all(digestAllMessage(digest([row({})]), { periodLabel: 'yesterday' }))).toBe('No stage had 5xx yesterday.');
  });
});
