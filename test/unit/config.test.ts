/**
 * The environment an investigation reads: the optional accounts file, the Region and the collector
 * timeout, with every problem listed at once.
 */
import { loadInvestigationConfig } from '../../src/config';
import { UsageError } from '../../src/errors';

const files: Record<string, string> = {
  '/etc/apigw-doctor.yaml': ['defaultAccount: prod', 'accounts:', '  prod:', '    roleArn: arn:aws:iam::123456789012:role/apigw-doctor-read', '    regions: [eu-west-1, us-east-1]', '  dev: {regions: us-east-2}'].join('\n'),
  '/etc/bad.yaml': ['accounts:', '  prod:', '    roleArn: not-an-arn'].join('\n'),
};
const read = (p: string): string => {
  const text = files[p];
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${p}'`);
  return text;
};

it('reads nothing and defaults without any setting', () => {
  const c = loadInvestigationConfig({}, read);
  expect(c.accounts.accounts.size).toBe(0);
  expect(c.collectorTimeoutMs).toBe(25_000);
  expect(c.awsRegion).toBeUndefined();
});

it('reads the accounts file, the Region and the timeout', () => {
  const c = loadInvestigationConfig({ APIGW_DOCTOR_CONFIG: '/etc/apigw-doctor.yaml', AWS_REGION: 'us-west-2', COLLECTOR_TIMEOUT_MS: '10000' }, read);
  expect(c.accounts.defaultAccount).toBe('prod');
  expect(c.accounts.accounts.get('prod')).toEqual({ alias: 'prod', roleArn: 'arn:aws:iam::123456789012:role/apigw-doctor-read', regions: ['eu-west-1', 'us-east-1'] });
  expect(c.accounts.accounts.get('dev')?.regions).toEqual(['us-east-2']);
  expect(c.awsRegion).toBe('us-west-2');
  expect(c.collectorTimeoutMs).toBe(10_000);
});

it('lists every problem in one message naming the variable, the file and the field', () => {
  expect(() => loadInvestigationConfig({ APIGW_DOCTOR_CONFIG: '/etc/bad.yaml', COLLECTOR_TIMEOUT_MS: '5s' }, read)).toThrow(
    new UsageError(
      'bad configuration: APIGW_DOCTOR_CONFIG: /etc/bad.yaml: accounts.prod.roleArn: expected an IAM role ARN such as arn:aws:iam::123456789012:role/apigw-doctor-read; COLLECTOR_TIMEOUT_MS: expected milliseconds from 1000 to 300000, got "5s"',
    ),
  );
  expect(() => loadInvestigationConfig({ APIGW_DOCTOR_CONFIG: '/etc/missing.yaml' }, read)).toThrow('APIGW_DOCTOR_CONFIG: /etc/missing.yaml does not exist');
});
