import type { Checked } from '../../../src/collect/investigate';
import { apiStageUrl, consoleLinks, functionNameOf, jsurlString, lambdaFunctionUrl, logGroupUrl, logsInsightsUrl } from '../../../src/slack/console-links';

const WINDOW = { from: '2026-11-25T14:00:00.000Z', to: '2026-11-25T15:00:00.000Z' };
const READ: Checked[] = [
  { source: 'execution-logs', ok: true, detail: '' },
  { source: 'lambda-logs', ok: true, detail: '' },
];

describe('URL pieces', () => {
  it('writes JSURL strings as the console does', () => {
    expect(jsurlString('API-Gateway-Execution-Logs_a1b2c3d4e5/prod')).toBe("'API-Gateway-Execution-Logs_a1b2c3d4e5*2fprod");
    expect(jsurlString('2026-11-25T15:00:00.000Z')).toBe("'2026-11-25T15*3a00*3a00.000Z");
    expect(jsurlString("fields @message\n| filter x = '$default'")).toBe("'fields*20*40message*0a*7c*20filter*20x*20*3d*20*27!default*27");
    expect(jsurlString('é→')).toBe("'*e9**2192");
  });

  it('opens Logs Insights over the window with the query and log groups', () => {
    expect(logsInsightsUrl({ region: 'eu-west-1', logGroups: ['API-Gateway-Execution-Logs_a1b2c3d4e5/prod'], from: WINDOW.from, to: WINDOW.to, query: 'fields @message' })).toBe(
      "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:logs-insights$3FqueryDetail$3D~(end~'2026-11-25T15*3a00*3a00.000Z~start~'2026-11-25T14*3a00*3a00.000Z~timeType~'ABSOLUTE~tz~'UTC~editorString~'fields*20*40message~source~(~'API-Gateway-Execution-Logs_a1b2c3d4e5*2fprod))",
    );
    expect(logsInsightsUrl({ region: 'eu-west-1', logGroups: [], ...WINDOW, query: 'x' })).toBeUndefined();
    expect(logsInsightsUrl({ region: 'eu-west-1', logGroups: ['bad group name'], ...WINDOW, query: 'x' })).toBeUndefined();
    expect(logsInsightsUrl({ region: 'nowhere', logGroups: ['g'], ...WINDOW, query: 'x' })).toBeUndefined();
  });

  it('opens a log group page, its name encoded twice with $ for %', () => {
    expect(logGroupUrl('us-east-1', '/aws/lambda/orders-handler')).toBe('https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders-handler');
  });

  it('opens the API’s stages (REST) or detail page (HTTP, WebSocket)', () => {
    expect(apiStageUrl('us-east-1', 'a1b2c3d4e5', 'REST')).toBe('https://us-east-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3d4e5/stages?api=a1b2c3d4e5&region=us-east-1');
    expect(apiStageUrl('us-east-1', 'l3g4c5y6h7', 'HTTP')).toBe('https://us-east-1.console.aws.amazon.com/apigateway/main/api-detail?api=l3g4c5y6h7&region=us-east-1');
    expect(apiStageUrl('us-east-1', 'orders-api', 'REST')).toBeUndefined();
    expect(apiStageUrl('cn-north-1', 'a1b2c3d4e5', 'REST')).toBe('https://cn-north-1.console.amazonaws.cn/apigateway/main/apis/a1b2c3d4e5/stages?api=a1b2c3d4e5&region=cn-north-1');
  });

  it('opens a Lambda function by name, from its ARN', () => {
    expect(functionNameOf('arn:aws:lambda:us-east-1:123456789012:function:orders-handler:live')).toBe('orders-handler');
    expect(functionNameOf('orders-handler')).toBe('orders-handler');
    expect(functionNameOf('arn:aws:lambda:us-east-1:123456789012:function:a/b')).toBeUndefined();
    expect(lambdaFunctionUrl('us-east-1', 'orders-handler')).toBe('https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/orders-handler');
    expect(lambdaFunctionUrl('us-east-1', '../x')).toBeUndefined();
  });
});

describe('consoleLinks', () => {
  it('links what the investigation read', () => {
    const links = consoleLinks({
      target: { apiId: 'a1b2c3d4e5', stage: 'prod', region: 'us-east-1', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-handler' },
      apiType: 'REST',
      window: WINDOW,
      checked: READ,
    });
    expect(links.map((l) => l.label)).toEqual(['Logs Insights: execution logs, 14:00–15:00 UTC', 'stage prod', 'Lambda orders-handler']);
    expect(links[0]?.url).toContain("~source~(~'API-Gateway-Execution-Logs_a1b2c3d4e5*2fprod~'*2faws*2flambda*2forders-handler))");
  });

  it('leaves out what was not read and what is not a valid id', () => {
    expect(consoleLinks({ target: { apiId: 'a1b2c3d4e5', stage: 'prod', region: 'us-east-1' }, apiType: 'REST', window: WINDOW, checked: [] }).map((l) => l.label)).toEqual(['stage prod']);
    expect(consoleLinks({ target: { apiId: 'a1b2c3d4e5', stage: 'prod', region: 'us-east-1' }, apiType: 'HTTP', window: WINDOW, checked: READ }).map((l) => l.label)).toEqual(['stage prod']);
    expect(consoleLinks({ target: { apiId: '<evil>', stage: 'x y', region: 'us-east-1"' }, apiType: 'REST', window: WINDOW, checked: READ })).toEqual([]);
  });
});
