/** `check` as text and JSON: one block per item, marks by status, fixes only where something is missing. */
import type { TelemetryReport } from '../../../src/collect/check-telemetry';
import { renderTelemetryReport, telemetryJson } from '../../../src/render/telemetry-report';

const report: TelemetryReport = {
  target: { apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod', region: 'us-east-1', accountId: '123456789012' },
  apiType: 'REST',
  items: [
    { id: 'cloudwatch-role', title: 'CloudWatch role (account)', status: 'unknown', current: 'could not read the account settings: AccessDeniedException', why: 'The role writes the logs.' },
    { id: 'execution-logging', title: 'Execution logging', status: 'ok', current: 'ERROR stage-wide', why: 'Execution logs name the failure.' },
    { id: 'access-logging', title: 'Access logging', status: 'missing', current: 'not configured', why: 'One line per request.', fix: 'aws logs create-log-group --log-group-name /x\naws apigateway update-stage --rest-api-id a1b2c3d4e5' },
    { id: 'detailed-metrics', title: 'Detailed metrics', status: 'optional', current: 'off', why: 'Per-method metrics.', fix: 'aws apigateway update-stage --rest-api-id a1b2c3d4e5' },
  ],
};

test('text', () => {
  expect(renderTelemetryReport(report)).toBe(
    [
      'Telemetry of orders-api (REST a1b2c3d4e5, stage prod, us-east-1): 1 of 3 needed items in place',
      '',
      '? CloudWatch role (account)  could not read the account settings: AccessDeniedException',
      '    The role writes the logs.',
      '',
      '✓ Execution logging          ERROR stage-wide',
      '    Execution logs name the failure.',
      '',
      '✗ Access logging             not configured',
      '    One line per request.',
      '    fix:',
      '      aws logs create-log-group --log-group-name /x',
      '      aws apigateway update-stage --rest-api-id a1b2c3d4e5',
      '',
      '○ Detailed metrics           off (optional)',
      '    Per-method metrics.',
      '    to turn it on:',
      '      aws apigateway update-stage --rest-api-id a1b2c3d4e5',
      '',
    ].join('\n'),
  );
});

test('JSON: ok as a boolean beside the status; fix only when there is one', () => {
  expect(telemetryJson(report)).toEqual({
    target: { ...report.target, apiType: 'REST' },
    items: [
      { id: 'cloudwatch-role', title: 'CloudWatch role (account)', ok: false, status: 'unknown', current: 'could not read the account settings: AccessDeniedException', why: 'The role writes the logs.' },
      { id: 'execution-logging', title: 'Execution logging', ok: true, status: 'ok', current: 'ERROR stage-wide', why: 'Execution logs name the failure.' },
      { id: 'access-logging', title: 'Access logging', ok: false, status: 'missing', current: 'not configured', why: 'One line per request.', fix: 'aws logs create-log-group --log-group-name /x\naws apigateway update-stage --rest-api-id a1b2c3d4e5' },
      { id: 'detailed-metrics', title: 'Detailed metrics', ok: false, status: 'optional', current: 'off', why: 'Per-method metrics.', fix: 'aws apigateway update-stage --rest-api-id a1b2c3d4e5' },
    ],
  });
});
