
import { sandboxPorts } from '../../../src/collect/adapters/sandbox-ports';
import { sandboxWorld } from '../../../src/collect/adapters/sandbox/sandbox-world';
import type { TelemetryReport } from '../../../src/collect/check-telemetry';
import { checkTelemetry } from '../../../src/collect/check-telemetry';
import type { ApiErrorList, ApiStageErrors } from '../../../src/collect/list-apis';
import { listApiErrors } from '../../../src/collect/list-apis';
import { ACTION_IDS, readInvestigateAction } from '../../../src/slack/actions';
import type { SlackMessage } from '../../../src/slack/blocks';
import { MAX_SECTION_TEXT } from '../../../src/slack/limits';
import { apisMessage, checkMessage } from '../../../src/slack/listing-blocks';
import { NOW } from './sandbox-run';
import { expectMessageLimits, rowsWithButtons } from '../../helpers/block-kit';

function texts(message: SlackMessage): string[] {
  const out: string[] = [];
  for (const b of message.blocks) {
    if (b.type === 'section' && b.text) out.push(b.text.text);
    if (b.type === 'context') for (const e of b.elements) if ('text' in e && typeof e.text === 'string') out.push(e.text);
  }
  return out;
}

const all = (message: SlackMessage): string => texts(message).join('\n');

function codeBlocks(text: string): string[] {
  return [...text.matchAll(/```\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? '');
}

/** A code block as Slack shows it, entities decoded: what a user copies. */
const decoded = (code: string): string => code.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function expectWithinLimits(message: SlackMessage): void {
  expectMessageLimits(message);
  for (const text of texts(message)) {
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    expect(text).not.toMatch(/</);
    expect((text.match(/```/g) ?? []).length % 2).toBe(0);
  }
  for (const { button } of rowsWithButtons(message.blocks)) {
    expect(button.text.text.length).toBeLessThanOrEqual(75);
    expect(button.accessibility_label?.length ?? 0).toBeLessThanOrEqual(75);
    expect(button.value?.length ?? 0).toBeLessThanOrEqual(2000);
  }
}

const HOSTILE = 'Bad <@U123|boss> & <!channel> ```x```';

const ports = (): ReturnType<typeof sandboxPorts>['ports'] => sandboxPorts(sandboxWorld(NOW), { logs: { pollMs: 1, maxPollMs: 2 } }).ports;

describe('checkMessage (/apigw check)', () => {
  let orders: TelemetryReport;
  let billing: TelemetryReport;
  let legacyHttp: TelemetryReport;

  beforeAll(async () => {
    const p = ports();
    [orders, billing, legacyHttp] = await Promise.all([
      checkTelemetry(p, { api: 'orders-api', stage: 'prod' }, NOW),
      checkTelemetry(p, { api: 'billing-api', stage: 'prod' }, NOW),
      checkTelemetry(p, { api: 'legacy-http' }, NOW),
    ]);
  });

  it('names the API, stage and Region, and marks each item with what is set now', () => {
    const message = checkMessage(orders);
    expectWithinLimits(message);
    const text = all(message);
    expect(texts(message)[0]).toBe('*Telemetry of orders-api (REST a1b2c3d4e5, stage prod, us-east-1): 3 of 4 needed items in place*');
    expect(text).toContain('✓ *Execution logging* — INFO stage-wide');
    expect(text).toContain('✓ *Access logging* — to log group /aws/apigateway/orders-api-access');
    expect(text).toContain('✗ *Access log format* — lacks $context.integration.error');
    expect(text).toContain('○ *Data trace* — off _(optional)_');
    // One section per item, plus the header and the verdict.
    expect(message.blocks).toHaveLength(orders.items.length + 2);
    expect(message.text).toContain('orders-api');
  });

  it('gives the aws commands that fix each item not in place, whole, as code', () => {
    const message = checkMessage(billing);
    expectWithinLimits(message);
    const code = codeBlocks(all(message)).map(decoded);
    for (const item of billing.items.filter((i) => i.fix !== undefined)) expect(code).toContain(item.fix);
    expect(all(message)).toContain('✗ *Execution logging* — OFF stage-wide');
    expect(code.some((c) => c.startsWith('aws apigateway update-stage --rest-api-id b1l2l3n4g5 --stage-name prod'))).toBe(true);
    const http = all(checkMessage(legacyHttp));
    expect(codeBlocks(http).map(decoded).join('\n')).toContain("aws apigatewayv2 update-stage --api-id l3g4c5y6h7 --stage-name '$default'");
  });

  it('ends with the verdict: enough telemetry to diagnose, or what is missing', () => {
    expect(texts(checkMessage(billing)).at(-1)).toBe('*Not enough telemetry to diagnose every 5xx: Execution logging, Access logging are missing. Run the commands above, then reproduce or wait for the next errors.*');
    const complete: TelemetryReport = { ...orders, items: orders.items.map((i) => (i.status === 'missing' ? { ...i, status: 'ok' as const, current: 'has every field' } : i)) };
    const ok = checkMessage(complete);
    expectWithinLimits(ok);
    expect(texts(ok)[0]).toContain('4 of 4 needed items in place');
    expect(texts(ok).at(-1)).toBe('*Enough telemetry to diagnose a 5xx on this stage.*');
    const unknown: TelemetryReport = { ...complete, items: complete.items.map((i) => (i.id === 'cloudwatch-role' ? { ...i, status: 'unknown' as const, current: 'AccessDenied on apigateway:GET' } : i)) };
    const text = all(checkMessage(unknown));
    expect(text).toContain('? *CloudWatch role (account)* — AccessDenied on apigateway:GET _(could not be read)_');
    expect(texts(checkMessage(unknown)).at(-1)).toContain('Could not tell whether there is enough telemetry: CloudWatch role (account) could not be read.');
  });

  it('escapes what it quotes', () => {
    const hostile: TelemetryReport = { ...orders, target: { ...orders.target, apiName: HOSTILE }, items: orders.items.map((i) => ({ ...i, current: HOSTILE })) };
    const message = checkMessage(hostile);
    expectWithinLimits(message);
    expect(all(message)).toContain('Bad &lt;@U123|boss&gt; &amp; &lt;!channel&gt; ˋˋˋxˋˋˋ');
  });
});

describe('apisMessage (/apigw apis)', () => {
  let list: ApiErrorList;

  beforeAll(async () => {
    list = await listApiErrors(ports(), { from: new Date(NOW.getTime() - 86_400_000), to: NOW }, NOW);
  });

  const row = (over: Partial<ApiStageErrors>): ApiStageErrors => ({ apiId: 'a1b2c3d4e5', apiName: 'orders-api', apiType: 'REST', stage: 'prod', region: 'us-east-1', count5xx: 0, count: 100, errorRate: 0, ...over });

  it('ranks the stages by 5xx, most first, each with its counts and rate and an Investigate button', () => {
    const message = apisMessage(list, { sinceLabel: '24h' });
    expectWithinLimits(message);
    const failing = list.stages.filter((s) => s.count5xx > 0);
    const total = failing.reduce((n, s) => n + s.count5xx, 0);
    expect(texts(message)[0]).toBe(`*5xx in us-east-1, last 24h: ${total.toLocaleString('en-US')} across ${failing.length} of ${list.stages.length} API stages*`);
    const rows = rowsWithButtons(message.blocks);
    expect(rows).toHaveLength(failing.length);
    expect(rows[0]?.text).toBe('*carts-api* prod · 2,204 5xx · 1,156,320 requests · 0.2%');
    const counts = rows.map((r) => Number(/· ([\d,]+) 5xx/.exec(r.text)?.[1]?.replace(/,/g, '')));
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    for (const r of rows) {
      expect(r.button.action_id).toBe(ACTION_IDS.investigate);
      expect(r.button.text.text).toBe('Investigate');
      // The value leads back to the very row shown.
      const value = readInvestigateAction(r.button.value ?? '');
      const shown = value === undefined ? undefined : list.stages[value.row];
      expect(r.text.startsWith(`*${shown?.apiName}* ${shown?.stage} ·`)).toBe(true);
      expect(shown?.count5xx).toBeGreaterThan(0);
    }
    // Quiet stages are listed, without a button.
    expect(all(message)).toContain('*No 5xx*\n• *analytics-api* dev · 0 5xx · 0 requests · 0%');
    expect(all(message)).toContain('*catalog-api* prod · 0 5xx · 1,699,200 requests · 0%');
  });

  it('button values are indexes into the rows as given, whatever their order', () => {
    const given: ApiErrorList = {
      stages: [row({ apiName: 'quiet-api', count5xx: 0 }), row({ apiName: 'some-api', count5xx: 5, errorRate: 0.05 }), row({ apiName: 'worst-api', count5xx: 90, errorRate: 0.9 })],
      skipped: [],
      apiCount: 3,
    };
    const rows = rowsWithButtons(apisMessage(given, { sinceLabel: '6h' }).blocks);
    expect(rows.map((r) => [r.text.split(' ')[0], readInvestigateAction(r.button.value ?? '')?.row])).toEqual([
      ['*worst-api*', 2],
      ['*some-api*', 1],
    ]);
  });

  it('no 5xx anywhere: one line', () => {
    const quiet: ApiErrorList = { ...list, stages: list.stages.map((s) => ({ ...s, count5xx: 0, errorRate: 0 })), skipped: [] };
    const message = apisMessage(quiet, { sinceLabel: '24h' });
    expectWithinLimits(message);
    expect(message.blocks).toHaveLength(1);
    expect(all(message)).toBe(`No 5xx on any of ${list.stages.length} API stages in the last 24h (us-east-1).`);
    expect(rowsWithButtons(message.blocks)).toHaveLength(0);
    expect(all(apisMessage({ stages: [], skipped: [], apiCount: 0 }, { sinceLabel: '24h' }))).toContain('No APIs in this Region');
  });

  it('too many stages: within the limits, the rest counted with the command that lists all', () => {
    const many: ApiErrorList = {
      stages: Array.from({ length: 300 }, (_, i) => row({ apiId: `id${i}`, apiName: `api-${String(i).padStart(3, '0')}-${'n'.repeat(60)}`, count5xx: 1000 - i, count: 5000, errorRate: (1000 - i) / 5000 })),
      skipped: [],
      apiCount: 300,
    };
    const message = apisMessage(many, { sinceLabel: '24h' });
    expectWithinLimits(message);
    const rows = rowsWithButtons(message.blocks);
    const last = texts(message).at(-1) ?? '';
    expect(last).toBe(`+${300 - rows.length} more stages — \`apigw-doctor apis --since 24h --region us-east-1\` lists all`);
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.map((r) => readInvestigateAction(r.button.value ?? '')?.row)).toEqual(rows.map((_, i) => i));
  });

  it('shows the APIs that could not be read, with the reason and the fix', () => {
    const withSkipped: ApiErrorList = { ...list, skipped: [{ source: 'w5s6c7h8t9', reason: 'AccessDenied on apigateway:GET <stages>', fix: 'allow apigateway:GET on arn:aws:apigateway:us-east-1::/apis/*' }] };
    const message = apisMessage(withSkipped, { sinceLabel: '24h' });
    expectWithinLimits(message);
    expect(texts(message).at(-1)).toBe('*Could not read* (left out of the list)\n• w5s6c7h8t9: AccessDenied on apigateway:GET &lt;stages&gt; — fix: allow apigateway:GET on arn:aws:apigateway:us-east-1::/apis/*');
    const quiet = apisMessage({ ...withSkipped, stages: [] , apiCount: 1 }, { sinceLabel: '24h' });
    expect(all(quiet)).toContain('*Could not read*');
  });

  it('escapes API and stage names', () => {
    const hostile: ApiErrorList = { stages: [row({ apiName: HOSTILE, stage: '<!here>', count5xx: 3, errorRate: 0.03 })], skipped: [], apiCount: 1 };
    const message = apisMessage(hostile, { sinceLabel: '1h' });
    expectWithinLimits(message);
    expect(all(message)).toContain('*Bad &lt;@U123|boss&gt; &amp; &lt;!channel&gt; ˋˋˋxˋˋˋ* &lt;!here&gt; · 3 5xx');
  });
});
