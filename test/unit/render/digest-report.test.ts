/** `apigw-doctor digest` as text: the headline, the aligned table, "…and N more", all quiet, what could not be read; and the shared wording. */
import type { DigestData, DigestRow, UnreadablePart } from '../../../src/collect/digest-data';
import { STYLE_SEQUENCES } from '../../../src/render/show-controls';
import { causePhrase, digestHeadline, formatDelta, renderDigestReport, worstMover } from '../../../src/render/digest-report';
import { digestOf } from '../../helpers/digest-data';

function row(over: Partial<DigestRow>): DigestRow {
  const base: DigestRow = { region: 'us-east-1', apiId: 'a1b2c3d4e5', apiName: 'orders-api', apiType: 'REST', stage: 'prod', count5xx: 0, count: 10_000, errorRate: 0, before5xx: 0, beforeCount: 10_000 };
  const r = { ...base, ...over };
  return { ...r, errorRate: r.count > 0 ? r.count5xx / r.count : 0 };
}

const digest = digestOf;

/** A busy day: 40 stages with 5xx over two accounts, 2 without. */
function busyDay(): DigestData {
  const rows: DigestRow[] = [
    row({ account: 'prod', apiId: 'p1', apiName: 'payments-api', count5xx: 2870, count: 70_000, before5xx: 143, change: 2727 / 143, likelyCause: { kind: 'cause', causeId: 'integration-timeout', title: 'Integration timeout', share: 0.8 } }),
    row({ account: 'staging', region: 'eu-west-1', apiId: 'o1', apiName: 'orders-api', count5xx: 512, count: 85_333, before5xx: 1024, change: -0.5, likelyCause: { kind: 'logging-off' } }),
  ];
  for (let i = 0; i < 38; i++) rows.push(row({ account: i % 2 === 0 ? 'prod' : 'staging', apiId: `g${i}`, apiName: `svc-${String(i).padStart(2, '0')}`, count5xx: 100 - i, count: 20_000 }));
  rows.push(row({ account: 'prod', apiId: 'q1', apiName: 'quiet-api', count: 500 }), row({ account: 'prod', apiId: 'q2', apiName: 'idle-api' }));
  return digest(rows, { apiCount: 44 });
}

const UNREADABLE: UnreadablePart = { account: 'legacy', region: 'ap-southeast-2', reason: 'AccessDeniedException on apigateway:GET', fix: 'add apigateway:GET on arn:aws:apigateway:ap-southeast-2::/restapis* to the role' };

test('a small day in one account and Region: headline, aligned columns, the likely causes', () => {
  const data = digest(
    [
      row({ apiId: 'p', apiName: 'payments-api', count5xx: 2870, count: 70_000, before5xx: 0, likelyCause: { kind: 'cause', causeId: 'integration-timeout', title: 'Integration timeout', share: 0.8 } }),
      row({ apiId: 'o', apiName: 'orders-api', count5xx: 512, count: 85_333, before5xx: 1024, change: -0.5, likelyCause: { kind: 'unknown', topMessage: 'Execution failed due to configuration error' } }),
      row({ apiId: 'l', apiName: 'legacy-http', apiType: 'HTTP', stage: '$default', count5xx: 30, count: 120, before5xx: 30, change: 0, likelyCause: { kind: 'logging-off' } }),
      row({ apiId: 'c', apiName: 'carts-api', count5xx: 0, count: 900 }),
    ],
    { apiCount: 37 },
  );
  expect(renderDigestReport(data, { periodLabel: 'yesterday' })).toBe(
    [
      '5xx yesterday: 3,412 across 3 of 37 APIs · worst mover: payments-api prod (new)',
      '',
      'API / stage             5xx   rate     Δ  likely cause',
      'payments-api prod     2,870   4.1%   new  mostly integration timeout',
      'orders-api prod         512   0.6%  −50%  no known cause: "Execution failed due to configuration error"',
      'legacy-http $default     30  25.0%     —  logging is off',
      '',
    ].join('\n'),
  );
});

test('a busy day over two accounts: where each stage is, the first ten, "…and N more"', () => {
  const data = busyDay();
  const text = renderDigestReport(data, { periodLabel: 'yesterday' });
  const lines = text.split('\n');
  const total = data.rows.reduce((n, r) => n + r.count5xx, 0);
  expect(lines[0]).toBe(`5xx yesterday: ${total.toLocaleString('en-US')} across 40 of 44 APIs · worst mover: payments-api prod (+1,907%)`);
  expect(lines.slice(2, 7)).toEqual([
    'API / stage        account / Region     5xx  rate        Δ  likely cause',
    'payments-api prod  prod us-east-1     2,870  4.1%  +1,907%  mostly integration timeout',
    'orders-api prod    staging eu-west-1    512  0.6%     −50%  logging is off',
    'svc-00 prod        prod us-east-1       100  0.5%      new',
    'svc-01 prod        staging us-east-1     99  0.5%      new',
  ]);
  expect(lines.filter((l) => /^(payments|orders|svc)/.test(l))).toHaveLength(10);
  expect(lines.at(-2)).toBe('…and 30 more (--all lists every stage)');
});

test('--all lists every stage with 5xx, none without', () => {
  const text = renderDigestReport(busyDay(), { periodLabel: 'yesterday', all: true });
  expect(text).not.toContain('more');
  expect(text.split('\n').filter((l) => /^(payments|orders|svc)/.test(l))).toHaveLength(40);
  expect(text).not.toContain('quiet-api');
});

test('all quiet: one line, then what could not be read', () => {
  const quiet = digest([row({ apiId: 'a', count: 1_000_000 }), row({ apiId: 'b', apiName: 'billing-api', count: 204_330 })], { apiCount: 37 });
  expect(renderDigestReport(quiet, { periodLabel: 'yesterday' })).toBe('All quiet: no 5xx on any of 37 APIs (2 stages, 1,204,330 requests) yesterday.\n');
  expect(renderDigestReport({ ...quiet, unreadable: [UNREADABLE] }, { periodLabel: 'last 24h' })).toBe(
    'All quiet: no 5xx on any of 37 APIs (2 stages, 1,204,330 requests) last 24h.\n' +
      '⚠ account legacy ap-southeast-2: could not read (AccessDeniedException on apigateway:GET) — add apigateway:GET on arn:aws:apigateway:ap-southeast-2::/restapis* to the role\n',
  );
});

test('a partly unreadable busy day ends with the unreadable accounts', () => {
  const text = renderDigestReport({ ...busyDay(), unreadable: [UNREADABLE, { region: 'eu-central-1', reason: 'could not read: ExpiredToken', fix: '' }] }, { periodLabel: 'yesterday' });
  expect(text.endsWith('…and 30 more (--all lists every stage)\n\n⚠ account legacy ap-southeast-2: could not read (AccessDeniedException on apigateway:GET) — add apigateway:GET on arn:aws:apigateway:ap-southeast-2::/restapis* to the role\n⚠ eu-central-1: could not read: ExpiredToken\n')).toBe(true);
  expect(renderDigestReport(digest([], { unreadable: [UNREADABLE], apiCount: 0 }), { periodLabel: 'yesterday' }).split('\n')[0]).toBe('5xx yesterday: no API could be read.');
});

test('ANSI only when asked, and only the styles of src/render', () => {
  const plain = renderDigestReport(busyDay(), { periodLabel: 'yesterday' });
  expect(plain).not.toContain('\x1b');
  const colored = renderDigestReport(busyDay(), { periodLabel: 'yesterday', color: true });
  expect(colored.startsWith('\x1b[1m5xx yesterday:')).toBe(true);
  const sequences = colored.split('\x1b').slice(1).map((rest) => `\x1b${/^\[[0-9;]*m/.exec(rest)?.[0] ?? ''}`);
  expect(sequences.length).toBeGreaterThan(0);
  for (const s of sequences) expect(STYLE_SEQUENCES).toContain(s);
});

test('API names stay on one line', () => {
  const data = digest([row({ apiName: 'evil\napi  name', count5xx: 4 })]);
  expect(renderDigestReport(data, { periodLabel: 'yesterday' }).split('\n')[3]).toBe('evil api name prod    4  <0.1%  new');
});

test.each<[Partial<DigestRow>, string]>([
  [{ count5xx: 3000, before5xx: 150, change: 19 }, '+1,900%'],
  [{ count5xx: 60, before5xx: 100, change: -0.4 }, '−40%'],
  [{ count5xx: 5, before5xx: 0 }, 'new'],
  [{ count5xx: 5, before5xx: 5, change: 0 }, '—'],
  [{ count5xx: 0, before5xx: 0 }, '—'],
  [{ count5xx: 1001, before5xx: 1000, change: 0.001 }, '+<1%'],
  [{ count5xx: 30, before5xx: 10 }, '+200%'],
])('formatDelta(%p) = %p', (over, text) => {
  expect(formatDelta(row(over))).toBe(text);
});

test('causePhrase: each kind of likely cause, as a phrase', () => {
  expect(causePhrase({ kind: 'cause', causeId: 'x', title: 'Integration timeout', share: 0.9 })).toEqual({ text: 'mostly integration timeout' });
  expect(causePhrase({ kind: 'cause', causeId: 'x', title: 'Malformed Lambda proxy response', share: 0.9 })?.text).toBe('mostly malformed Lambda proxy response');
  expect(causePhrase({ kind: 'cause', causeId: 'x', title: 'Lambda function timed out', share: 0.9 })?.text).toBe('mostly Lambda function timed out');
  expect(causePhrase({ kind: 'cause', causeId: 'x', title: 'HTTP API has no access logging', share: 0.9 })?.text).toBe('mostly HTTP API has no access logging');
  expect(causePhrase({ kind: 'cause', causeId: 'x', title: 'WebSocket fails', share: 0.9 })?.text).toBe('mostly WebSocket fails');
  expect(causePhrase({ kind: 'logging-off' })).toEqual({ text: 'logging is off' });
  expect(causePhrase({ kind: 'unknown' })).toEqual({ text: 'no known cause' });
  expect(causePhrase({ kind: 'unknown', topMessage: `x${'y'.repeat(200)}` })?.quote).toHaveLength(80);
  expect(causePhrase({ kind: 'unreadable', reason: 'ThrottlingException' })).toEqual({ text: 'logs unreadable (ThrottlingException)' });
  expect(causePhrase(undefined)).toBeUndefined();
});

test('worst mover and headline numbers', () => {
  const data = busyDay();
  expect(worstMover(data)?.row.apiName).toBe('payments-api');
  expect(worstMover(digest([row({ count5xx: 5, before5xx: 9, change: -0.44 })]))).toBeUndefined();
  expect(digestHeadline(digest([row({ count5xx: 5, before5xx: 9, change: -0.44 })]), 'last 24h')).toBe('5xx last 24h: 5 across 1 of 1 API');
});
