/** `apis` as text: the summary line, the aligned table, "all quiet", and what could not be read. */
import type { ApiStageErrors } from '../../../src/collect/list-apis';
import { formatRate, renderApiTable } from '../../../src/render/api-table';

const row = (apiName: string, apiType: ApiStageErrors['apiType'], stage: string, count5xx: number, count: number): ApiStageErrors => ({
  apiId: 'a1b2c3d4e5',
  apiName,
  apiType,
  stage,
  region: 'us-east-1',
  count5xx,
  count,
  errorRate: count > 0 ? count5xx / count : 0,
});

test('failing stages first, numbers aligned right', () => {
  const stages = [row('payments-api', 'REST', 'prod', 2870, 70_000), row('orders-api', 'REST', 'prod', 512, 85_333), row('legacy-http', 'HTTP', '$default', 0, 120)];
  expect(renderApiTable({ stages, skipped: [], apiCount: 3 }, { region: 'us-east-1', sinceLabel: '24h' })).toBe(
    [
      '5xx in us-east-1, last 24h: 3,382 across 2 of 3 API stages',
      '',
      'API / stage           type    5xx  requests  rate',
      'payments-api prod     REST  2,870    70,000  4.1%',
      'orders-api prod       REST    512    85,333  0.6%',
      'legacy-http $default  HTTP      0       120    0%',
      '',
    ].join('\n'),
  );
});

test('all quiet is said, not left to silence', () => {
  const text = renderApiTable({ stages: [row('orders-api', 'REST', 'prod', 0, 900)], skipped: [], apiCount: 1 }, { region: 'eu-west-1', sinceLabel: '6h' });
  expect(text.split('\n')[0]).toBe('All quiet in eu-west-1, last 6h: no 5xx on any of 1 API stage.');
});

test('no APIs, no stages, and APIs that could not be read', () => {
  expect(renderApiTable({ stages: [], skipped: [], apiCount: 0 }, { region: 'us-east-1', sinceLabel: '24h' })).toBe('No APIs in us-east-1: check the account and Region (--account, --region).\n');
  const skipped = [{ source: 'config of chat-ws (w5s6c7h8t9)', reason: 'AccessDeniedException on apigateway:GET', fix: 'allow apigateway:GET' }];
  expect(renderApiTable({ stages: [], skipped, apiCount: 2 }, { region: 'us-east-1', sinceLabel: '24h' })).toBe(
    'No deployed stages among the 2 APIs in us-east-1.\ncould not read config of chat-ws (w5s6c7h8t9): AccessDeniedException on apigateway:GET — allow apigateway:GET\n',
  );
});

test.each([
  [0, '0%'],
  [0.0004, '<0.1%'],
  [0.001, '0.1%'],
  [0.041, '4.1%'],
  [1, '100.0%'],
])('formatRate(%p) = %p', (rate, text) => {
  expect(formatRate(rate)).toBe(text);
});
