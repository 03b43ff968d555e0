/**
 * The `why` report and JSON from a hand-built investigation: the headline (volume, onset), the change
 * and failing-route lines, the Checked line with what could not be read and how to fix it.
 */
import type { Investigation } from '../../../src/collect/investigate';
import type { Diagnosis } from '../../../src/diagnosis/engine';
import { headline, investigationJson, renderInvestigationReport } from '../../../src/render/investigation-report';
import { diagnoseDoc } from '../../helpers/knowledge';

const TARGET = { apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod', region: 'us-east-1', accountId: '123456789012' };
const SKIPPED = { source: 'lambda-logs', reason: 'AccessDeniedException on logs:StartQuery on arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-handler:*', fix: 'allow logs:StartQuery for the role apigw-doctor uses' };

function investigation(over: Partial<Investigation> = {}): Investigation {
  return {
    evidence: { status: 502, apiType: 'REST', logLines: [], integrationErrorMessages: [], config: {}, metrics: { count5xx: 1204, count: 48210 }, target: TARGET, skipped: [SKIPPED] },
    target: TARGET,
    apiType: 'REST',
    window: { from: '2026-11-25T14:00:00.000Z', to: '2026-11-25T15:00:00.000Z' },
    checked: [
      { source: 'config', ok: true, detail: '41 methods, 40 integrated, stage prod' },
      { source: 'execution-logs', ok: true, detail: '1,198 matching lines' },
      { source: 'access-logs', ok: false, detail: 'not configured on stage prod' },
      { source: 'lambda-logs', ok: false, detail: SKIPPED.reason },
      { source: 'metrics', ok: true, detail: '1,204 5xx of 48,210 requests' },
    ],
    failingRoutes: [
      { resourcePath: '/orders/{id}', httpMethod: 'GET', status: 502, count: 1198 },
      { routeKey: 'POST /orders', status: 502, count: 6 },
    ],
    changes: { events: [], summary: 'errors began 14:02 UTC, 2 minutes after deployment dep7x1 (live on stage prod)' },
    onset: { onset: '2026-11-25T14:02:00.000Z', beforeWindow: false },
    ...over,
  };
}

const diagnosis: Diagnosis = { ...diagnoseDoc({ status: 502, apiType: 'REST', logLines: ['Execution failed due to configuration error: Malformed Lambda proxy response'] }), skipped: [SKIPPED] };

test('the report, top to bottom', () => {
  const text = renderInvestigationReport(diagnosis, investigation(), { status: 502, checkCommand: 'apigw-doctor check orders-api prod' });
  const lines = text.split('\n');
  expect(lines.slice(0, 3)).toEqual([
    '502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: 1,204 of 48,210 requests (2.5%), since 14:02 UTC',
    'Errors began 14:02 UTC, 2 minutes after deployment dep7x1 (live on stage prod)',
    'Failing routes: GET /orders/{id} 1,198× 502 · POST /orders 6× 502',
  ]);
  expect(text).toContain('1. Malformed Lambda proxy response · ');
  const checked = text.slice(text.indexOf('Checked:'));
  expect(checked).toBe(
    [
      'Checked: config ✓ · execution logs ✓ ·',
      '         access logs ✗ not configured on stage prod (see: apigw-doctor check orders-api prod) ·',
      '         Lambda logs ✗ could not read (below) · metrics ✓',
      'Could not read',
      '  • Lambda logs: AccessDeniedException on logs:StartQuery on',
      '    arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-handler:*',
      '    fix: allow logs:StartQuery for the role apigw-doctor uses',
      '',
    ].join('\n'),
  );
  // Skipped sources are told once, under "Could not read", not again as the text report's "Skipped".
  expect(text).not.toContain('\nSkipped\n');
  expect(text).not.toContain('\x1b[');
});

test('colour only when asked', () => {
  const text = renderInvestigationReport(diagnosis, investigation(), { status: 502, color: true });
  expect(text.startsWith('\x1b[1m502s on orders-api')).toBe(true);
  expect(text).toContain('config \x1b[32m✓\x1b[39m');
});

test.each([
  { name: 'no metrics', over: { evidence: { ...investigation().evidence, metrics: {} } }, status: '5xx' as const, want: '5xx errors on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: 1,204 502s, since 14:02 UTC' },
  { name: 'no onset', over: { onset: undefined }, status: 504, want: 'orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: asked about 504s: none; 1,204 502s of 48,210 requests (2.5%)' },
  {
    name: 'an onset on an earlier day, a week-long window',
    over: { onset: { onset: '2026-11-20T22:15:00.000Z', beforeWindow: false }, window: { from: '2026-11-18T15:00:00.000Z', to: '2026-11-25T15:00:00.000Z' } },
    status: 502,
    want: '502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 7d: 1,204 of 48,210 requests (2.5%), since Nov 20 22:15 UTC',
  },
  { name: 'errors without a request count', over: { evidence: { ...investigation().evidence, metrics: { count5xx: 12 } } }, status: 500, want: 'orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: asked about 500s: none; 12 502s, since 14:02 UTC' },
  {
    name: 'no status in any log',
    over: { evidence: { ...investigation().evidence, metrics: { count5xx: 12, count: 400 } }, failingRoutes: [] },
    status: 500,
    want: '500s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: 12 5xx (all statuses) of 400 requests (3.0%), since 14:02 UTC',
  },
])('headline: $name', ({ over, status, want }) => {
  const inv = investigation(over);
  if ('onset' in over && over.onset === undefined) delete inv.onset;
  expect(headline(inv, status)).toBe(want);
});

test.each<{ name: string; status: 502 | 504 | '5xx'; statuses: Record<string, number>; want: string }>([
  { name: 'the logs show only the status asked about', status: 502, statuses: { '502': 1198 }, want: '502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: 1,204 of 48,210 requests (2.5%), since 14:02 UTC' },
  { name: 'asked about a status the logs do not show', status: 504, statuses: { '502': 1198 }, want: 'orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: asked about 504s: none; 1,204 502s of 48,210 requests (2.5%), since 14:02 UTC' },
  { name: 'several statuses, the metrics shared out as the logs show them', status: 502, statuses: { '502': 900, '500': 300 }, want: '502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: 903 of 48,210 requests (1.9%); also 301 500s, since 14:02 UTC' },
  { name: 'any 5xx, all of one status', status: '5xx', statuses: { '503': 10 }, want: '5xx errors on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: 1,204 503s of 48,210 requests (2.5%), since 14:02 UTC' },
])('headline counts the status asked about: $name', ({ status, statuses, want }) => {
  expect(headline(investigation(), status, { statuses })).toBe(want);
});

test('a quiet stage: its headline says so, with its requests', () => {
  const inv = investigation({ evidence: { ...investigation().evidence, metrics: { count5xx: 0, count: 0 } } });
  expect(headline(inv, '5xx', { quiet: true })).toBe('No 5xx on orders-api (REST a1b2c3d4e5, stage prod, us-east-1) in the last 1h (0 requests)');
});

test('no 5xx and nothing in the logs: said plainly, with what to try, and no "no cause can be named"', () => {
  const none: Diagnosis = { verdict: 'insufficient-evidence', findings: [], missing: [], skipped: [] };
  const text = renderInvestigationReport(none, investigation({ evidence: { ...investigation().evidence, metrics: { count5xx: 0, count: 900 } }, failingRoutes: [], changes: { events: [] } }), { status: 502 });
  expect(text.split('\n').slice(0, 2)).toEqual([
    '502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: none of 900 requests, since 14:02 UTC',
    'No 5xx on stage prod in the last 1h (900 requests, none failed). Nothing to diagnose; widen the window (--since 24h) or name another stage.',
  ]);
  expect(text).not.toContain('No cause can be named');
});

test('no 5xx counted but findings from the logs, or 5xx and no confident cause: both said up front', () => {
  const weak: Diagnosis = { ...diagnosis, verdict: 'insufficient-evidence' };
  const text = renderInvestigationReport(weak, investigation({ evidence: { ...investigation().evidence, metrics: { count5xx: 0, count: 900 } }, failingRoutes: [], changes: { events: [] } }), { status: 502 });
  expect(text.split('\n').slice(1, 3)).toEqual([
    'CloudWatch counted no 5xx on this stage in the window; what follows comes from the logs and the configuration.',
    'Not enough evidence to name a cause with confidence; see what would sharpen the answer below.',
  ]);
});

test('JSON: the diagnosis as diagnose --json prints it, then target (with apiType), window, checked and more', () => {
  const doc = investigationJson(diagnosis, investigation());
  expect(Object.keys(doc)).toEqual([...Object.keys(diagnosis), 'target', 'window', 'checked', 'failingRoutes', 'changes', 'onset']);
  expect(doc.target).toEqual({ ...TARGET, apiType: 'REST' });
  expect(doc.window).toEqual({ from: '2026-11-25T14:00:00.000Z', to: '2026-11-25T15:00:00.000Z' });
  expect(doc.checked).toEqual(investigation().checked);
  expect(JSON.parse(JSON.stringify(doc))).toMatchObject(JSON.parse(JSON.stringify(diagnosis)) as Record<string, unknown>);
});
