/**
 * The logger writes JSON lines to an injected stream; no canary secret may survive in them, whether
 * it sits in a known field, inside a message, an error, a child's bindings or a Slack payload.
 */
import { boltLogLevel, createLogger, maskString, toBoltLogger } from '../../src/logging';

const BOT = 'xoxb-1111111111-2222222222-CanaryBotTokenAbc';
const USER = 'xoxp-3333333333-4444444444-CanaryUserToken';
const APP = 'xapp-1-A0123456-5555555555-CanaryAppTokenHex';
const SIGNING = '8f14e45fceea167a5a36dedd4bea2543';
const AWS_KEY = 'AKIAIOSFODNN7CANARY1';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYKEY';
const RESPONSE_URL = 'https://hooks.slack.com/commands/T1/123/CanaryResponseUrl';
const CANARIES = [BOT, USER, APP, SIGNING, AWS_KEY, AWS_SECRET, RESPONSE_URL, 'CanaryBotTokenAbc', 'CanaryAppTokenHex', 'CanaryResponseUrl'];

function capture(secrets: string[] = []): { logger: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[]; text: () => string } {
  const written: string[] = [];
  const logger = createLogger({ level: 'debug', stream: { write: (s: string) => void written.push(s) }, secrets });
  return {
    logger,
    text: () => written.join(''),
    lines: () => written.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

function expectNoCanary(text: string): void {
  for (const canary of CANARIES) expect(text).not.toContain(canary);
}

it('censors secret fields by name, at the top level and one level down', () => {
  const { logger, lines, text } = capture();
  logger.info({ token: BOT, slack: { botToken: BOT, appToken: APP, signingSecret: SIGNING }, aws: { accessKeyId: AWS_KEY, secretAccessKey: AWS_SECRET, sessionToken: 'FwoGZXIvYXdzEBcanary' }, command: { response_url: RESPONSE_URL, user_id: 'U1' } }, 'request');
  expectNoCanary(text());
  expect(text()).not.toContain('FwoGZXIvYXdzEBcanary');
  const line = lines()[0]!;
  expect(line.msg).toBe('request');
  expect(line.level).toBe('info');
  expect((line.command as Record<string, unknown>).user_id).toBe('U1');
  expect((line.slack as Record<string, unknown>).botToken).toBe('[redacted]');
});

it('masks tokens and keys inside any string: messages, format arguments, nested text and arrays', () => {
  const { logger, text } = capture();
  logger.info(`posting with ${BOT}`);
  logger.warn('app token %s and user token %s', APP, USER);
  logger.info({ event: { text: `pasted ${AWS_KEY} and aws_secret_access_key=${AWS_SECRET}`, blocks: [{ text: `Authorization: Bearer ${BOT}` }] } }, 'mention');
  logger.debug({ headers: { authorization: `Bearer ${BOT}` } }, 'outgoing');
  logger.info(`signing secret ${SIGNING} leaked`);
  logger.info(`respond to ${RESPONSE_URL} later`);
  expectNoCanary(text());
  expect(text()).toContain('posting with xox****');
});

it('masks errors, child bindings and the configured secrets themselves', () => {
  const custom = 'not-a-known-shape-but-configured-secret';
  const { logger, lines, text } = capture([custom]);
  logger.error({ err: new Error(`auth failed for ${BOT} (${custom})`) }, 'Slack call failed');
  logger.error(new Error(`invalid_auth ${APP}`));
  logger.child({ appToken: APP, note: `boot with ${USER}` }).info('child');
  expectNoCanary(text());
  expect(text()).not.toContain(custom);
  const [first] = lines();
  expect((first!.err as Record<string, unknown>).type).toBe('Error');
  // Every line stays valid JSON after masking.
  expect(lines()).toHaveLength(3);
});

it('keeps ordinary ids readable', () => {
  const { logger, lines } = capture();
  logger.info({ user: 'U0123ABCD', channel: 'C0123ABCD', api: 'orders-api', jobId: 'why-0123456789abcdef0123456789abcdef-1764000000000' }, 'investigate');
  expect(lines()[0]).toMatchObject({ user: 'U0123ABCD', channel: 'C0123ABCD', api: 'orders-api', jobId: 'why-0123456789abcdef0123456789abcdef-1764000000000' });
});

it('maskString masks each kind of secret', () => {
  expect(maskString(`a ${BOT} b ${APP} c ${SIGNING} d ${AWS_KEY}`)).toBe('a xox**** b xapp-**** c **** d AKIA****');
});

it('hands Bolt a logger that writes JSON through the same masking, at the mapped level', () => {
  const { logger, lines, text } = capture();
  const bolt = toBoltLogger(logger);
  bolt.setName('bolt-app');
  bolt.info('token verified for', BOT);
  bolt.error('An unhandled error occurred', new Error(`boom ${APP}`));
  bolt.setLevel(boltLogLevel('warn'));
  bolt.info('dropped');
  expect(bolt.getLevel()).toBe('warn');
  expectNoCanary(text());
  expect(lines().map((l) => [l.level, l.component, l.msg])).toEqual([
    ['info', 'bolt-app', 'token verified for xox****'],
    ['error', 'bolt-app', 'An unhandled error occurred'],
  ]);
  expect(boltLogLevel('trace')).toBe('debug');
  expect(boltLogLevel('fatal')).toBe('error');
});
