import { executeApiSourceArn, lambdaTargetFromUri, policyAllowsInvoke } from '../../../src/collect/lambda-policy';

const ACCOUNT = '123456789012';
const FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-handler`;
const rest = (fnArn: string): string => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnArn}/invocations`;

describe('lambdaTargetFromUri', () => {
  it('a REST invocation URI', () => {
    expect(lambdaTargetFromUri(rest(FN), {})).toEqual({ functionName: FN, functionArn: FN, region: 'us-east-1', accountId: ACCOUNT });
  });

  it('a REST URI with an alias', () => {
    expect(lambdaTargetFromUri(rest(`${FN}:live`), {})).toEqual({ functionName: FN, qualifier: 'live', functionArn: `${FN}:live`, region: 'us-east-1', accountId: ACCOUNT });
  });

  it('a version and $LATEST', () => {
    expect(lambdaTargetFromUri(rest(`${FN}:7`), {})?.qualifier).toBe('7');
    expect(lambdaTargetFromUri(rest(`${FN}:$LATEST`), {})?.qualifier).toBe('$LATEST');
  });

  it('an HTTP API URI that is the function ARN, in another account and Region', () => {
    const arn = 'arn:aws:lambda:eu-west-1:210987654321:function:payments:prod';
    expect(lambdaTargetFromUri(arn, {})).toEqual({
      functionName: 'arn:aws:lambda:eu-west-1:210987654321:function:payments',
      qualifier: 'prod',
      functionArn: arn,
      region: 'eu-west-1',
      accountId: '210987654321',
    });
  });

  it('a stage variable for the function name', () => {
    const uri = rest(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:\${stageVariables.fn}`);
    expect(lambdaTargetFromUri(uri, { fn: 'orders-handler-v2' })).toMatchObject({ functionName: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-handler-v2` });
    // A stage variable may carry name:alias.
    expect(lambdaTargetFromUri(uri, { fn: 'orders-handler:canary' })).toMatchObject({ functionName: FN, qualifier: 'canary' });
  });

  it('a stage variable for the alias (the serverless canary pattern)', () => {
    const uri = rest(`${FN}:\${stageVariables.alias}`);
    expect(lambdaTargetFromUri(uri, { alias: 'live' })).toMatchObject({ functionName: FN, qualifier: 'live', functionArn: `${FN}:live` });
  });

  it('null when a stage variable has no value', () => {
    expect(lambdaTargetFromUri(rest(`${FN}:\${stageVariables.alias}`), { other: 'x' })).toBeNull();
  });

  it('null when a stage variable makes an invalid name or qualifier', () => {
    const uri = rest(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:\${stageVariables.fn}`);
    expect(lambdaTargetFromUri(uri, { fn: 'orders handler' })).toBeNull();
    expect(lambdaTargetFromUri(uri, { fn: 'orders-handler:live/../x' })).toBeNull();
    expect(lambdaTargetFromUri(uri, { fn: 'a'.repeat(65) })).toBeNull();
    expect(lambdaTargetFromUri(uri, { fn: 'a'.repeat(64) })).not.toBeNull();
  });

  it.each([
    ['an HTTP backend', 'https://orders.example.com/v1/{proxy}'],
    ['a DynamoDB action', 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem'],
    ['a Step Functions action', 'arn:aws:apigateway:us-east-1:states:action/StartExecution'],
    ['an ALB listener (HTTP API private integration)', `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:listener/app/orders-alb/50dc6c495c0c9188/0467ef3c8400ae65`],
    ['an empty URI', ''],
  ])('null for %s', (_name, uri) => {
    expect(lambdaTargetFromUri(uri, {})).toBeNull();
  });
});

describe('executeApiSourceArn', () => {
  const base = { region: 'us-east-1', accountId: ACCOUNT, apiId: 'a1b2c3d4e5', stage: 'prod' };
  it('method and path', () => {
    expect(executeApiSourceArn({ ...base, httpMethod: 'get', resourcePath: '/orders/{id}' })).toBe(`arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3d4e5/prod/GET/orders/{id}`);
  });
  it('ANY and a missing path are *', () => {
    expect(executeApiSourceArn({ ...base, httpMethod: 'ANY', resourcePath: '/{proxy+}' })).toBe(`arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3d4e5/prod/*/{proxy+}`);
    expect(executeApiSourceArn(base)).toBe(`arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3d4e5/prod/*/*`);
  });
  it('a route key is the last segment on its own', () => {
    expect(executeApiSourceArn({ ...base, resourcePath: '$default' })).toBe(`arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3d4e5/prod/$default`);
    expect(executeApiSourceArn({ ...base, resourcePath: 'sendMessage' })).toBe(`arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3d4e5/prod/sendMessage`);
  });
  it('the partition follows the Region', () => {
    expect(executeApiSourceArn({ ...base, region: 'cn-north-1' })).toMatch(/^arn:aws-cn:execute-api:cn-north-1:/);
  });
});

/** A policy document as `aws lambda get-policy` returns it in `Policy`. */
function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });
}

function apigwStatement(sid: string, sourceArn: string | undefined, extra: object = {}): object {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: 'apigateway.amazonaws.com' },
    Action: 'lambda:InvokeFunction',
    Resource: FN,
    ...(sourceArn !== undefined ? { Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } } } : {}),
    ...extra,
  };
}

const CONSOLE_POLICY =
  '{"Version":"2012-10-17","Id":"default","Statement":[{"Sid":"apigw-invoke","Effect":"Allow","Principal":{"Service":"apigateway.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:orders-handler","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/GET/orders/*"}}}]}';

const src = (apiId: string, stage: string, method: string, path: string, account = ACCOUNT): string => executeApiSourceArn({ region: 'us-east-1', accountId: account, apiId, stage, httpMethod: method, resourcePath: path });

describe('policyAllowsInvoke', () => {
  it.each([
    ['the wildcard stage matches prod', src('a1b2c3d4e5', 'prod', 'GET', '/orders/{id}'), true],
    ['the wildcard stage matches dev', src('a1b2c3d4e5', 'dev', 'GET', '/orders/{id}'), true],
    ['a wrong API id (the API was re-created)', src('f6g7h8i9j0', 'prod', 'GET', '/orders/{id}'), false],
    ['a wrong method', src('a1b2c3d4e5', 'prod', 'POST', '/orders/{id}'), false],
    ['the parent path orders/* does not cover /orders', src('a1b2c3d4e5', 'prod', 'GET', '/orders'), false],
    ['another account', src('a1b2c3d4e5', 'prod', 'GET', '/orders/{id}', '210987654321'), false],
  ])('console-style policy: %s', (_name, sourceArn, allowed) => {
    const verdict = policyAllowsInvoke(CONSOLE_POLICY, sourceArn);
    expect(verdict.allowed).toBe(allowed);
    expect(verdict.statementId).toBe('apigw-invoke');
    if (!allowed) expect(verdict.reason).toContain('ArnLike AWS:SourceArn arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/GET/orders/* does not hold');
  });

  it('no policy', () => {
    expect(policyAllowsInvoke(null, src('a1b2c3d4e5', 'prod', 'GET', '/orders'))).toEqual({ allowed: false, reason: 'the function has no resource policy' });
  });

  it('a matching Deny wins over the Allow', () => {
    const doc = policy(apigwStatement('apigw-invoke', `arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3d4e5/*/*/*`), {
      Sid: 'deny-dev',
      Effect: 'Deny',
      Principal: '*',
      Action: 'lambda:*',
      Resource: FN,
      Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3d4e5/dev/*` } },
    });
    expect(policyAllowsInvoke(doc, src('a1b2c3d4e5', 'dev', 'GET', '/orders'))).toMatchObject({ allowed: false, statementId: 'deny-dev' });
    expect(policyAllowsInvoke(doc, src('a1b2c3d4e5', 'prod', 'GET', '/orders'))).toMatchObject({ allowed: true, statementId: 'apigw-invoke' });
  });

  it('an alias policy (get-policy --qualifier live) grants on the qualified resource', () => {
    const doc = policy(apigwStatement('apigw-invoke-live', `arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3d4e5/*/*/orders`, { Resource: `${FN}:live` }));
    expect(policyAllowsInvoke(doc, src('a1b2c3d4e5', 'prod', 'POST', '/orders'))).toMatchObject({ allowed: true, statementId: 'apigw-invoke-live' });
  });

  it('SAM-style permission for one stage does not cover the "Stage" stage', () => {
    const doc = policy(apigwStatement('OrdersFunctionGetOrdersPermissionProd', `arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3d4e5/Prod/GET/orders`));
    expect(policyAllowsInvoke(doc, src('a1b2c3d4e5', 'Stage', 'GET', '/orders')).allowed).toBe(false);
    // Matching is case-sensitive: "prod" is not "Prod".
    expect(policyAllowsInvoke(doc, src('a1b2c3d4e5', 'prod', 'GET', '/orders')).allowed).toBe(false);
    expect(policyAllowsInvoke(doc, src('a1b2c3d4e5', 'Prod', 'GET', '/orders')).allowed).toBe(true);
  });

  it('HTTP API $default route', () => {
    const doc = policy(apigwStatement('apigw-http-default', `arn:aws:execute-api:us-east-1:${ACCOUNT}:x9y8z7w6v5/*/$default`));
    const sourceArn = executeApiSourceArn({ region: 'us-east-1', accountId: ACCOUNT, apiId: 'x9y8z7w6v5', stage: '$default', resourcePath: '$default' });
    expect(policyAllowsInvoke(doc, sourceArn).allowed).toBe(true);
  });

  it('no condition: any API may invoke', () => {
    expect(policyAllowsInvoke(policy(apigwStatement('open', undefined)), src('zzzzzzzzzz', 'prod', 'GET', '/x')).allowed).toBe(true);
  });

  it('the SourceAccount guard: the source ARN account by default, or the account given', () => {
    const doc = policy(
      apigwStatement('apigw-invoke', undefined, {
        Condition: { StringEquals: { 'AWS:SourceAccount': ACCOUNT }, ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3d4e5/*` } },
      }),
    );
    const arn = src('a1b2c3d4e5', 'prod', 'GET', '/orders');
    expect(policyAllowsInvoke(doc, arn).allowed).toBe(true);
    expect(policyAllowsInvoke(doc, arn, '210987654321')).toMatchObject({ allowed: false, statementId: 'apigw-invoke' });
  });

  it('a negated Deny guard (StringNotEquals AWS:SourceAccount) only denies other accounts', () => {
    const doc = policy(apigwStatement('apigw-invoke', undefined), {
      Sid: 'only-my-account',
      Effect: 'Deny',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: FN,
      Condition: { StringNotEquals: { 'AWS:SourceAccount': ACCOUNT } },
    });
    expect(policyAllowsInvoke(doc, src('a1b2c3d4e5', 'prod', 'GET', '/orders')).allowed).toBe(true);
    expect(policyAllowsInvoke(doc, src('a1b2c3d4e5', 'prod', 'GET', '/orders', '210987654321'))).toMatchObject({ allowed: false, statementId: 'only-my-account' });
  });

  it.each([
    ['Principal "*" and Action "lambda:*"', { Sid: 's', Effect: 'Allow', Principal: '*', Action: 'lambda:*', Resource: FN }, true],
    ['Action "*"', { Sid: 's', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: '*', Resource: FN }, true],
    ['an Action list and a Service list', { Sid: 's', Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'apigateway.amazonaws.com'] }, Action: ['lambda:GetFunction', 'lambda:InvokeFunction'], Resource: FN }, true],
    ['another service', { Sid: 's', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: FN }, false],
    ['an account principal', { Sid: 's', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'lambda:InvokeFunction', Resource: FN }, false],
    ['another action', { Sid: 's', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunctionUrl', Resource: FN }, false],
  ])('%s', (_name, statement, allowed) => {
    expect(policyAllowsInvoke(policy(statement), src('a1b2c3d4e5', 'prod', 'GET', '/orders')).allowed).toBe(allowed);
  });

  it('ArnLike matches each ARN component on its own', () => {
    const doc = policy(apigwStatement('regional', `arn:aws:execute-api:us-*:${ACCOUNT}:a1b2c3d4e5/*`));
    expect(policyAllowsInvoke(doc, src('a1b2c3d4e5', 'prod', 'GET', '/orders')).allowed).toBe(true);
  });

  it('an operator it cannot evaluate is not counted as allowing, and the reason names it', () => {
    const doc = policy(apigwStatement('org-only', undefined, { Condition: { StringEqualsIgnoreCase: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }));
    const verdict = policyAllowsInvoke(doc, src('a1b2c3d4e5', 'prod', 'GET', '/orders'));
    expect(verdict).toMatchObject({ allowed: false, statementId: 'org-only' });
    expect(verdict.reason).toContain('StringEqualsIgnoreCase');
  });

  it('an operator named like an object property (constructor, __proto__) is an operator it cannot evaluate', () => {
    for (const operator of ['constructor', 'toString', '__proto__']) {
      const doc = policy(apigwStatement('odd', undefined, { Condition: JSON.parse(`{"${operator}": {"aws:SourceArn": "x"}}`) as unknown }));
      const verdict = policyAllowsInvoke(doc, src('a1b2c3d4e5', 'prod', 'GET', '/orders'));
      expect(verdict).toMatchObject({ allowed: false, statementId: 'odd' });
      expect(verdict.reason).toContain(operator);
    }
  });

  it('an unknown condition key under a known operator is not counted as allowing either', () => {
    const doc = policy(apigwStatement('vpc', undefined, { Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d' } } }));
    expect(policyAllowsInvoke(doc, src('a1b2c3d4e5', 'prod', 'GET', '/orders')).reason).toContain('aws:SourceVpce');
  });

  it('a Deny it cannot evaluate is counted as denying', () => {
    const doc = policy(apigwStatement('apigw-invoke', undefined), {
      Sid: 'deny-outside-org',
      Effect: 'Deny',
      Principal: '*',
      Action: 'lambda:InvokeFunction',
      Resource: FN,
      Condition: { 'ForAnyValue:StringNotLike': { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/*'] } },
    });
    expect(policyAllowsInvoke(doc, src('a1b2c3d4e5', 'prod', 'GET', '/orders'))).toMatchObject({ allowed: false, statementId: 'deny-outside-org' });
  });

  it('a single Statement object and a statement without Sid', () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: FN } });
    expect(policyAllowsInvoke(doc, src('a1b2c3d4e5', 'prod', 'GET', '/orders'))).toMatchObject({ allowed: true, statementId: '#1' });
  });

  it('a policy without statements is not allowing', () => {
    expect(policyAllowsInvoke('{"Version":"2012-10-17","Statement":[]}', src('a1b2c3d4e5', 'prod', 'GET', '/orders'))).toEqual({ allowed: false, reason: 'the resource policy has no statements' });
  });

  it('malformed JSON throws', () => {
    expect(() => policyAllowsInvoke('{"Version":"2012-10-17","Statement":[', src('a1b2c3d4e5', 'prod', 'GET', '/orders'))).toThrow(SyntaxError);
  });
});
