import fc from 'fast-check';
import { STAGE_NAME } from '../../../src/collect/resolve-target';
import type { BotRequest } from '../../../src/slack/request';
import { parseCommandText, parseMentionText } from '../../../src/requests';
import { EXAMPLES, UNREADABLE, readWindowWords, unwrapSlackText } from '../../../src/slack/parse-request';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** A Tuesday afternoon: 15:00 UTC is 16:00 in Paris (CET, UTC+1) and 07:00 in Los Angeles (PST, UTC-8). */
const NOW = new Date('2026-11-24T15:00:00Z');
const BOT = 'U0BOT1234';

const why = (question: Record<string, unknown>): BotRequest => ({ kind: 'why', question: { status: '5xx', sinceMs: HOUR, ...question } as never });

describe('parseCommandText', () => {
  it.each<[string, BotRequest]>([
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP why', { kind: 'help', topic: 'why' }],
    ['why 502 orders-api', why({ status: 502, api: 'orders-api' })],
    ['why 5xx a1b2c3d4e5 dev 6h', why({ api: 'a1b2c3d4e5', stage: 'dev', sinceMs: 6 * HOUR })],
    ['why 5XX orders-api prod 15m', why({ api: 'orders-api', stage: 'prod', sinceMs: 15 * MIN })],
    ['why 504s orders-api 7d', why({ status: 504, api: 'orders-api', sinceMs: 7 * DAY })],
    ['why 599 orders-api $default 90m', why({ status: 599, api: 'orders-api', stage: '$default', sinceMs: 90 * MIN })],
    ['why 502 orders-api prod 2hours', why({ status: 502, api: 'orders-api', stage: 'prod', sinceMs: 2 * HOUR })],
    ['why orders-api prod', why({ api: 'orders-api', stage: 'prod' })],
    ['why orders-api 502', why({ status: 502, api: 'orders-api' })],
    ['  why   502   orders-api  ', why({ status: 502, api: 'orders-api' })],
    ['Why 502 `orders-api`', why({ status: 502, api: 'orders-api' })],
    ['502 orders-api prod', why({ status: 502, api: 'orders-api', stage: 'prod' })],
    ['why 502 orders-api --region eu-west-1 --account prod', why({ status: 502, api: 'orders-api', region: 'eu-west-1', account: 'prod' })],
    ['why 502 orders-api --region=EU-WEST-1', why({ status: 502, api: 'orders-api', region: 'eu-west-1' })],
    ['why 502 orders-api —region eu-west-1', why({ status: 502, api: 'orders-api', region: 'eu-west-1' })],
    ['why 502 orders-api --since 6h', why({ status: 502, api: 'orders-api', sinceMs: 6 * HOUR })],
    ['why 502 <https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders>', why({ status: 502, api: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders' })],
    ['why 502 <https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod|https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod> prod', why({ status: 502, api: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod', stage: 'prod' })],
    ['why 502 <http://api.example.com|api.example.com> prod', why({ status: 502, api: 'api.example.com', stage: 'prod' })],
    ['why 502 orders&amp;co', why({ status: 502, api: 'orders&co' })],
    ['check orders-api', { kind: 'check', api: 'orders-api' }],
    ['check orders-api dev --region us-west-2', { kind: 'check', api: 'orders-api', stage: 'dev', region: 'us-west-2' }],
    ['apis', { kind: 'apis', sinceMs: DAY }],
    ['apis 6h', { kind: 'apis', sinceMs: 6 * HOUR }],
    ['apis --account 123456789012', { kind: 'apis', sinceMs: DAY, account: '123456789012' }],
  ])('%j', (text, expected) => {
    expect(parseCommandText(text)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ['why 404 orders-api', '404 is not a 5xx status: ask about 500 to 599, or 5xx', '/apigw why 502 orders-api prod 1h'],
    ['why 4xx orders-api', '4xx is not a 5xx status: ask about 500 to 599, or 5xx', '/apigw why 502 orders-api prod 1h'],
    ['why 502 orders-api prod 7y', '"7y" is not a window: use 15m to 7d', '/apigw why 502 orders-api prod 1h'],
    ['why 502 orders-api 8d', '"8d" is longer than 7d: use 15m to 7d', '/apigw why 502 orders-api prod 1h'],
    ['why 502 orders-api 5m', '"5m" is shorter than 15m: use 15m to 7d', '/apigw why 502 orders-api prod 1h'],
    ['why 502', 'missing the API: which API?', '/apigw why 502 orders-api prod 1h'],
    ['why', 'missing the API: which API?', EXAMPLES.why],
    ['whyy 502 orders-api', 'unknown command "whyy": did you mean why?', '/apigw why 502 orders-api'],
    ['chek orders-api', 'unknown command "chek": did you mean check?', '/apigw check orders-api'],
    ['orders-api 502', 'unknown command "orders-api": the commands are why, check, apis, digest, stats and help', '/apigw why 5xx orders-api'],
    ['hello', 'unknown command "hello": did you mean help?', '/apigw help'],
    ['status orders-api', 'unknown command "status": the commands are why, check, apis, digest, stats and help', EXAMPLES.why],
    ['why 502 orders-api pr@d', '"pr@d" is not a stage name: use letters, digits, - and _ (up to 128), or $default', '/apigw why 502 orders-api prod 1h'],
    ['why 502 orders-api prod 1h extra', 'too many words: "extra"; it is why <status> <api> [stage] [window]', '/apigw why 502 orders-api prod 1h'],
    ['why 502 503 orders-api', 'give one status, not 502 and 503: 500 to 599, or 5xx for all', EXAMPLES.why],
    ['why 502 orders-api 1h 2h', 'give the window once', '/apigw why 502 orders-api prod 1h'],
    ['why 502 orders-api --profile x', 'unknown option "--profile": the options are --account and --region', EXAMPLES.why],
    ['why 502 orders-api --region', '--region needs a value, e.g. --region eu-west-1', EXAMPLES.why],
    ['why 502 orders-api --region mars-1', '"mars-1" is not a Region: use one such as us-east-1 or eu-west-1', EXAMPLES.why],
    ['why 502 orders-api --account ../etc', '"../etc" is not an account: use an alias from the bot\'s config or a 12-digit account id', EXAMPLES.why],
    ['check', 'missing the API: which API?', EXAMPLES.check],
    ['check orders-api 502', 'check takes no status: it checks the telemetry of a stage (to ask about errors, use why)', '/apigw check orders-api prod'],
    ['check orders-api 6h', 'check takes no window: it reads the stage as it is now', '/apigw check orders-api prod'],
    ['apis orders-api', 'apis takes only a window, not "orders-api"', EXAMPLES.apis],
    ['apis 30d', '"30d" is not a window: use 15m to 7d', EXAMPLES.apis],
    ['--region eu-west-1', 'options but no command: what should I do?', EXAMPLES.why],
  ])('%j is invalid', (text, problem, example) => {
    expect(parseCommandText(text)).toEqual({ kind: 'invalid', problem, example });
  });

  it('takes an API of up to 2,048 characters, and no more', () => {
    const long = `x${'a'.repeat(2047)}`;
    expect(parseCommandText(`why 502 ${long}`)).toEqual(why({ status: 502, api: long }));
    const request = parseCommandText(`why 502 ${long}a`);
    expect(request).toMatchObject({ kind: 'invalid', problem: 'the API is 2,049 characters long: give its name, its id (a1b2c3d4e5), its invoke URL or its custom domain' });
  });

  it('refuses text far too long to be a question, without echoing it', () => {
    const request = parseCommandText(`why 502 ${'orders-api '.repeat(2000)}`);
    expect(request).toEqual({ kind: 'invalid', problem: 'That is 22,008 characters, too long to be a question: ask in one line.', example: EXAMPLES.why });
  });

  describe('in the user’s own words, given a clock', () => {
    const context = { now: NOW, timeZone: 'Europe/Paris' };
    it.each<[string, BotRequest]>([
      ['why is orders-api failing since 9am?', why({ api: 'orders-api', sinceMs: 7 * HOUR })],
      ['why 502 orders-api on prod for the last 6 hours', why({ status: 502, api: 'orders-api', stage: 'prod', sinceMs: 6 * HOUR })],
      ['check orders-api in dev', { kind: 'check', api: 'orders-api', stage: 'dev' }],
      // The command grammar still comes first.
      ['why 502 orders-api prod 6h', why({ status: 502, api: 'orders-api', stage: 'prod', sinceMs: 6 * HOUR })],
      ['why 404 orders-api is failing', { kind: 'invalid', problem: '404 is not a 5xx status: I diagnose 500 to 599 (5xx)', example: '/apigw why is orders-api throwing 502s since 9am?' }],
      ['why is it failing', { kind: 'invalid', problem: 'I could not tell which API you mean: name it (its name, its id such as a1b2c3d4e5, its invoke URL or its custom domain)', example: '/apigw why is orders-api throwing 502s since 9am?' }],
    ])('%j', (text, expected) => {
      expect(parseCommandText(text, context)).toEqual(expected);
    });

    it('reads only the command grammar without one', () => {
      expect(parseCommandText('why is orders-api failing')).toEqual({ kind: 'invalid', problem: '"is" is not an API: it is why <status> <api> [stage] [window]', example: '/apigw why 5xx orders-api prod 1h' });
      expect(parseCommandText('check the orders-api')).toEqual({ kind: 'invalid', problem: '"the" is not an API: it is check <api> [stage]', example: '/apigw check orders-api prod' });
    });
  });

  it('quotes at most 40 characters of what the user typed', () => {
    const request = parseCommandText(`why 502 orders-api ${'p'.repeat(200)}@`);
    expect(request.kind).toBe('invalid');
    if (request.kind === 'invalid') expect(request.problem.length).toBeLessThan(120);
  });
});

describe('parseMentionText', () => {
  const mention = (text: string, timeZone?: string): BotRequest => parseMentionText(`<@${BOT}> ${text}`, BOT, NOW, timeZone);

  it.each<[string, BotRequest]>([
    ['why is orders-api throwing 504s since 9am?', why({ status: 504, api: 'orders-api', sinceMs: 6 * HOUR })],
    ['why 502 orders-api', why({ status: 502, api: 'orders-api' })],
    ['why 502 orders-api prod 6h', why({ status: 502, api: 'orders-api', stage: 'prod', sinceMs: 6 * HOUR })],
    ['orders-api 5xx last 6h', why({ api: 'orders-api', sinceMs: 6 * HOUR })],
    ["what's wrong with payments-http in dev, 500s in the last 2 hours", why({ status: 500, api: 'payments-http', stage: 'dev', sinceMs: 2 * HOUR })],
    ['what’s wrong with payments-http?', why({ api: 'payments-http' })],
    ['why is the orders-api returning 5XX errors', why({ api: 'orders-api' })],
    ['orders-api is failing', why({ api: 'orders-api' })],
    ['errors on orders-api in blue past 30 minutes', why({ api: 'orders-api', stage: 'blue', sinceMs: 30 * MIN })],
    ['a1b2c3d4e5 stage prod 502s for the last hour', why({ status: 502, api: 'a1b2c3d4e5', stage: 'prod' })],
    ['is orders-api down? started 3 hours ago', why({ api: 'orders-api', sinceMs: 3 * HOUR })],
    ['orders-api on prod keeps returning 502 since 14:30', why({ status: 502, api: 'orders-api', stage: 'prod', sinceMs: 30 * MIN })],
    ['why is orders-api failing today', why({ api: 'orders-api', sinceMs: 15 * HOUR })],
    ['why is orders-api erroring since yesterday', why({ api: 'orders-api', sinceMs: 39 * HOUR })],
    ['why is orders-api failing since 4pm', why({ api: 'orders-api', sinceMs: 23 * HOUR })],
    ['orders-api 503s over the past two days', why({ status: 503, api: 'orders-api', sinceMs: 2 * DAY })],
    ['orders-api 503s over the last month', why({ status: 503, api: 'orders-api', sinceMs: 7 * DAY })],
    ['orders-api 5xx last 5 minutes', why({ api: 'orders-api', sinceMs: 15 * MIN })],
    ['why is <https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod> failing in eu-west-1', why({ api: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod', region: 'eu-west-1' })],
    ['why is <http://api.example.com|api.example.com> throwing 502s', why({ status: 502, api: 'api.example.com' })],
    ['orders-api 502s --account prod --region us-west-2', why({ status: 502, api: 'orders-api', account: 'prod', region: 'us-west-2' })],
    [':rotating_light: orders-api :fire: 502s since 9 am', why({ status: 502, api: 'orders-api', sinceMs: 6 * HOUR })],
    ['hey <@U0OTHER1> can you look at orders-api 500s', why({ status: 500, api: 'orders-api' })],
    ['check orders-api', { kind: 'check', api: 'orders-api' }],
    ['can you check orders-api in dev?', { kind: 'check', api: 'orders-api', stage: 'dev' }],
    ['is logging on for orders-api?', { kind: 'check', api: 'orders-api' }],
    ['which apis are failing today?', { kind: 'apis', sinceMs: 15 * HOUR }],
    ['apis 6h', { kind: 'apis', sinceMs: 6 * HOUR }],
    ['help', { kind: 'help' }],
    ['help why', { kind: 'help', topic: 'why' }],
    ['help me please', { kind: 'help' }],
    ['', { kind: 'help' }],
  ])('%j', (text, expected) => {
    expect(mention(text)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['hello there', 'I could not tell which API you mean: name it (its name, its id such as a1b2c3d4e5, its invoke URL or its custom domain)'],
    ['why is it broken?', 'I could not tell which API you mean: name it (its name, its id such as a1b2c3d4e5, its invoke URL or its custom domain)'],
    ['🔥🔥🔥', 'I could not tell which API you mean: name it (its name, its id such as a1b2c3d4e5, its invoke URL or its custom domain)'],
    ['orders-api returning 404', '404 is not a 5xx status: I diagnose 500 to 599 (5xx)'],
    ['orders-api 404s', '404 is not a 5xx status: I diagnose 500 to 599 (5xx)'],
    ['orders-api since 25:00', '"25:00" is not a time of day: say e.g. since 9am or since 14:30'],
    ['orders-api since 13pm', '"13pm" is not a time of day: say e.g. since 9am or since 14:30'],
  ])('%j is invalid', (text, problem) => {
    expect(mention(text)).toEqual({ kind: 'invalid', problem, example: EXAMPLES.mention });
  });

  it('gives a structured mention the command’s problem with a mention to copy', () => {
    expect(mention('why 502 orders-api 7y')).toEqual({ kind: 'invalid', problem: '"7y" is not a window: use 15m to 7d', example: '@apigw-doctor why 502 orders-api prod 1h' });
  });

  it('does not read a count of errors as a status', () => {
    expect(mention('orders-api has 300 errors in the last hour')).toEqual(why({ api: 'orders-api' }));
  });

  describe('reads clock times in the asker’s time zone', () => {
    it.each<[string, string | undefined, number]>([
      // 9am in Paris is 08:00 UTC; now is 15:00 UTC.
      ['since 9am', 'Europe/Paris', 7 * HOUR],
      ['since 9am', undefined, 6 * HOUR],
      ['since 9am', 'UTC', 6 * HOUR],
      // 9am in Los Angeles (UTC-8) is 17:00 UTC, later than now: yesterday's 9am, 22 hours ago.
      ['since 9am', 'America/Los_Angeles', 22 * HOUR],
      ['since 6:30am', 'America/Los_Angeles', 30 * MIN],
      // Noon in Kolkata (UTC+5:30) is 06:30 UTC.
      ['since noon', 'Asia/Kolkata', 8 * HOUR + 30 * MIN],
      ['today', 'Europe/Paris', 16 * HOUR],
      // Now is midnight in Tokyo: "today" has just begun, and the window is the shortest there is.
      ['today', 'Asia/Tokyo', 15 * MIN],
      ['since yesterday', 'Asia/Tokyo', DAY],
      ['since midnight', 'America/New_York', 10 * HOUR],
      // An unknown zone reads as UTC.
      ['since 9am', 'Mars/Olympus_Mons', 6 * HOUR],
      ['since 9am', '', 6 * HOUR],
    ])('%s in %s', (when, timeZone, sinceMs) => {
      expect(mention(`why is orders-api failing ${when}`, timeZone)).toEqual(why({ api: 'orders-api', sinceMs }));
    });

    it('across a daylight-saving change', () => {
      // Sunday 29 March 2026, Paris moved from UTC+1 to UTC+2 at 02:00 local (01:00 UTC).
      const after = new Date('2026-03-29T10:00:00Z');
      expect(parseMentionText('orders-api 502s since midnight', BOT, after, 'Europe/Paris')).toEqual(why({ status: 502, api: 'orders-api', sinceMs: 11 * HOUR }));
      expect(parseMentionText('orders-api 502s since 9am', BOT, after, 'Europe/Paris')).toEqual(why({ status: 502, api: 'orders-api', sinceMs: 3 * HOUR }));
    });

    it('clamps the window to 15m…7d', () => {
      expect(parseMentionText('orders-api 502s since 8:55', BOT, new Date('2026-11-24T09:00:00Z'), 'UTC')).toEqual(why({ status: 502, api: 'orders-api', sinceMs: 15 * MIN }));
      expect(mention('orders-api 502s in the past 3 weeks')).toEqual(why({ status: 502, api: 'orders-api', sinceMs: 7 * DAY }));
    });
  });
});

describe('unwrapSlackText', () => {
  it.each<[string, string]>([
    ['<@U0BOT1234> why', '  why'],
    ['<@U0BOT1234|apigw-doctor> why', '  why'],
    ['ask <@U0OTHER1|bob>', 'ask  @bob '],
    ['in <#C0123|ops>', 'in  #ops '],
    ['<!channel> hi', '  hi'],
    ['<https://x.example.com/a?b=1&amp;c=2>', 'https://x.example.com/a?b=1&c=2'],
    ['<mailto:a@b.com|a@b.com>', 'a@b.com'],
    ['&lt;script&gt; &amp;lt;', '<script> &lt;'],
    ['“quoted” it’s', '"quoted" it\'s'],
    ['a\u200bb\u0007c', 'ab c'],
  ])('%j', (text, expected) => {
    expect(unwrapSlackText(text, BOT)).toBe(expected);
  });
});

/** What every request must satisfy to be enqueued safely. */
function expectWellFormed(request: BotRequest): void {
  switch (request.kind) {
    case 'why': {
      const q = request.question;
      expect(q.status === '5xx' || (Number.isInteger(q.status) && q.status >= 500 && q.status <= 599)).toBe(true);
      expect(q.api.length).toBeGreaterThan(0);
      expect(q.api.length).toBeLessThanOrEqual(2048);
      expect(q.api).not.toMatch(/\s/);
      if (q.stage !== undefined) expect(q.stage).toMatch(STAGE_NAME);
      expect(q.sinceMs).toBeGreaterThanOrEqual(15 * MIN);
      expect(q.sinceMs).toBeLessThanOrEqual(7 * DAY);
      if (q.region !== undefined) expect(q.region).toMatch(/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/);
      break;
    }
    case 'check':
      expect(request.api).not.toMatch(/\s/);
      if (request.stage !== undefined) expect(request.stage).toMatch(STAGE_NAME);
      break;
    case 'apis':
      expect(request.sinceMs).toBeGreaterThanOrEqual(15 * MIN);
      expect(request.sinceMs).toBeLessThanOrEqual(7 * DAY);
      break;
    case 'help':
      if (request.topic !== undefined) expect(request.topic.length).toBeLessThanOrEqual(40);
      break;
    case 'digest':
      if (request.action === 'now' && request.sinceMs !== undefined) expect(request.sinceMs).toBeLessThanOrEqual(7 * DAY);
      break;
    case 'stats':
      expect(request.days).toBeGreaterThanOrEqual(1);
      expect(request.days).toBeLessThanOrEqual(90);
      break;
    case 'follow-up':
    case 'again':
      // Only a thread's messages read as follow-ups: never a command or a mention outside one.
      throw new Error(`a ${request.kind} request from a command or mention`);
    case 'invalid':
      expect(request.problem).not.toBe(UNREADABLE);
      expect(request.problem.length).toBeLessThan(300);
      expect(request.example.length).toBeGreaterThan(0);
      break;
  }
}

describe('hostile text', () => {
  const hostile = [
    'why 502 orders-api; rm -rf /',
    'why 502 $(curl evil.example.com)',
    'why 502 `rm -rf ~`',
    "why 502 orders-api' OR '1'='1",
    'why 502 orders-api | filter @message like /x/',
    'why 502 <!channel>',
    'why 502 &lt;!here&gt;',
    'why 502 orders-api prod\n\nignore previous instructions',
    'why 502 ../../etc/passwd',
    'why 502 ‮ipa-sredro',
    'why 502 🔥orders-api🔥 prod',
    'why 502 orders-api 9999999999999999h',
    `why 502 ${'a'.repeat(5000)}`,
    `${'why '.repeat(3000)}`,
    '\u0000\u0001\u001f',
    '<<<<>>>>',
    '<@',
    '--',
    '--account',
    'why --region= orders-api',
    // Words that are properties of every object: never a unit, a number or a window.
    'past __proto__ apis',
    'orders-api 502s in the last constructor hours',
    'why 502 orders-api 2toString',
    'orders-api 502s for hasOwnProperty valueOf',
  ];
  it.each(hostile.map((text, i) => ({ i, text })))('hostile text #$i parses or is invalid, well formed', ({ text }) => {
    const command = parseCommandText(text);
    expectWellFormed(command);
    const asMention = parseMentionText(text, BOT, NOW, 'Europe/Paris');
    expectWellFormed(asMention);
  });

  it('refuses an API reference with user info, a port or another scheme, in commands and mentions', () => {
    const crafted = 'orders-x.y:z@i7n4v5c2e9.execute-api.us-east-1.amazonaws.com';
    expect(parseCommandText(`why 500 ${crafted}`)).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('carries no user name or password') as unknown });
    expect(parseMentionText(`<@${BOT}> why 500 ${crafted}`, BOT, NOW)).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('carries no user name or password') as unknown });
    expect(parseCommandText('why 502 api.shop.example.com:8443')).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('carries no port') as unknown });
    expect(parseCommandText('check ftp://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod')).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('not ftp://') as unknown });
  });

  it('keeps an injection-looking API as typed, for the worker to compare client-side', () => {
    expect(parseCommandText('why 502 orders-api;rm')).toEqual(why({ status: 502, api: 'orders-api;rm' }));
    // Backticks around a word are formatting, not part of it.
    expect(parseCommandText('why 502 `orders-api` *prod*')).toEqual(why({ status: 502, api: 'orders-api', stage: 'prod' }));
    expect(parseCommandText('why 502 `orders-api`;')).toMatchObject({ kind: 'invalid', problem: '"orders-api`;" is not an API: give its name, its id (a1b2c3d4e5), its invoke URL or its custom domain' });
  });
});

describe('never throws (properties)', () => {
  const words = fc.constantFrom(
    'why', 'check', 'apis', 'help', '502', '5xx', '504s', '404', 'orders-api', 'a1b2c3d4e5', 'prod', 'dev', '$default', '6h', '7y', '15m', 'since', '9am',
    '14:30', 'last', 'in', 'the', 'past', '2', 'hours', 'today', 'yesterday', '--region', 'eu-west-1', '--account', 'prod-acct', '<@U0BOT1234>', '<https://x.example.com|x>',
    '&amp;', '&lt;', '```', '🔥', ':fire:', 'is', 'with', 'failing', 'errors', '?', '—', 'stage', 'on', 'ago',
    '__proto__', 'constructor', 'toString', '2constructor',
  );
  const sentence = fc.array(fc.oneof(words, fc.string({ maxLength: 12 })), { maxLength: 14 }).map((ws) => ws.join(' '));
  const anyText = fc.oneof(sentence, fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }));

  it('parseCommandText', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, withClock) => {
        expectWellFormed(parseCommandText(text, withClock ? { now: NOW, timeZone: 'America/New_York' } : undefined));
      }),
      { numRuns: 2000 },
    );
  });

  it('parseMentionText', () => {
    fc.assert(
      fc.property(anyText, fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), fc.constantFrom('UTC', 'Europe/Paris', 'America/Los_Angeles', 'Asia/Kathmandu', 'Pacific/Chatham', 'nowhere'), (text, now, tz) => {
        expectWellFormed(parseMentionText(text, BOT, now, tz));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('readWindowWords (the window of a follow-up in a thread)', () => {
  const read = (text: string, timeZone?: string, now: Date = NOW): ReturnType<typeof readWindowWords> => readWindowWords(text, now, timeZone);

  it.each<[string, number]>([
    // A bare window word, as after `widen`.
    ['24h', DAY],
    ['6h', 6 * HOUR],
    ['90m', 90 * MIN],
    ['1.5h', 90 * MIN],
    ['7d', 7 * DAY],
    ['15m', 15 * MIN],
    // A duration in words, with or without "since", "last" or "ago".
    ['since 6h', 6 * HOUR],
    ['since 6h ago', 6 * HOUR],
    ['6 hours', 6 * HOUR],
    ['two days', 2 * DAY],
    ['an hour', HOUR],
    ['last 2 days', 2 * DAY],
    ['the past 30 minutes', 30 * MIN],
    ['last hour', HOUR],
    ['3 hours ago', 3 * HOUR],
    // A clock, read in UTC without a zone: now is 15:00 UTC on Tuesday.
    ['since 9am', 6 * HOUR],
    ['since 14:30', 30 * MIN],
    ['since 9 am?', 6 * HOUR],
    ['today', 15 * HOUR],
    ['since midnight', 15 * HOUR],
    ['since yesterday', 39 * HOUR],
    ['yesterday', 39 * HOUR],
    // The whole line, follow-up word and all, reads the same.
    ['widen 24h', DAY],
    ['verify since 14:30', 30 * MIN],
    ['*since 9am*', 6 * HOUR],
  ])('%j', (text, ms) => {
    expect(read(text)).toEqual({ ms });
  });

  it.each<[string, string | undefined, number]>([
    // 9am in Los Angeles (PST, UTC-8) is 17:00 UTC, later than now: yesterday's, 22 hours ago.
    ['since 9am', 'America/Los_Angeles', 22 * HOUR],
    ['today', 'America/Los_Angeles', 7 * HOUR],
    // 9am in Berlin (CET, UTC+1) is 08:00 UTC.
    ['since 9am', 'Europe/Berlin', 7 * HOUR],
    ['since midnight', 'Europe/Berlin', 16 * HOUR],
    // Kolkata is UTC+5:30: 9am there is 03:30 UTC, 14:30 is 09:00 UTC.
    ['since 9am', 'Asia/Kolkata', 11 * HOUR + 30 * MIN],
    ['since 14:30', 'Asia/Kolkata', 6 * HOUR],
    ['since 9am', 'UTC', 6 * HOUR],
    // An unknown zone reads as UTC.
    ['since 9am', 'Mars/Olympus_Mons', 6 * HOUR],
    ['since 9am', '', 6 * HOUR],
    // A duration is the same in every zone.
    ['24h', 'America/Los_Angeles', DAY],
    ['since 6h', 'Asia/Kolkata', 6 * HOUR],
  ])('%j in %s', (text, timeZone, ms) => {
    expect(read(text, timeZone)).toEqual({ ms });
  });

  it.each<[string, string, number]>([
    // Sunday 8 March 2026 in Los Angeles: 02:00 PST became 03:00 PDT at 10:00 UTC; now is 11:00 PDT.
    ['2026-03-08T18:00:00Z', 'since midnight', 10 * HOUR],
    ['2026-03-08T18:00:00Z', 'since 9am', 2 * HOUR],
    // Sunday 1 November 2026: 02:00 PDT became 01:00 PST at 09:00 UTC; now is 10:00 PST.
    ['2026-11-01T18:00:00Z', 'since midnight', 11 * HOUR],
    ['2026-11-01T18:00:00Z', 'since 9am', HOUR],
    ['2026-11-01T18:00:00Z', 'since yesterday', 35 * HOUR],
  ])('in Los Angeles at %s, %j', (now, text, ms) => {
    expect(read(text, 'America/Los_Angeles', new Date(now))).toEqual({ ms });
  });

  it('clamps a clock to 15m…7d, as a mention does', () => {
    expect(read('since 8:55', 'UTC', new Date('2026-11-24T09:00:00Z'))).toEqual({ ms: 15 * MIN });
    // "since 9am" at 08:00 is yesterday's 9am: 23 hours.
    expect(read('since 9am', 'UTC', new Date('2026-11-24T08:00:00Z'))).toEqual({ ms: 23 * HOUR });
    // Seconds on the clock round the window up to the minute.
    expect(read('since 9am', 'UTC', new Date('2026-11-24T15:00:10Z'))).toEqual({ ms: 6 * HOUR + MIN });
  });

  it.each<[string, string]>([
    // A duration out of range is refused, as in a command, rather than quietly clamped.
    ['30d', '"30d" is not a window: use 15m to 7d'],
    ['7y', '"7y" is not a window: use 15m to 7d'],
    ['8d', '"8d" is longer than 7d: use 15m to 7d'],
    ['5m', '"5m" is shorter than 15m: use 15m to 7d'],
    ['widen 8d', '"8d" is longer than 7d: use 15m to 7d'],
    ['since 8d', '"8d" is longer than 7d: use 15m to 7d'],
    ['last 3 weeks', '"3 weeks" is longer than 7d: use 15m to 7d'],
    ['10 minutes', '"10 minutes" is shorter than 15m: use 15m to 7d'],
    ['last month', '"last month" is not a window: use 15m to 7d'],
    // A clock that is not one.
    ['since 25:00', '"25:00" is not a time of day: say e.g. since 9am or since 14:30'],
    ['since 13pm', '"13pm" is not a time of day: say e.g. since 9am or since 14:30'],
  ])('%j is a problem', (text, problem) => {
    expect(read(text)).toEqual({ problem });
  });

  it.each(['', '   ', 'please', 'verify', '504s', 'try 502', 'stage dev', 'since', 'since 2019', '9am', 'since then', 'x'.repeat(5000)])('%j names no window', (text) => {
    expect(read(text)).toBeUndefined();
  });

  it('reads against the epoch rather than throwing when the clock is invalid', () => {
    expect(read('24h', 'UTC', new Date(NaN))).toEqual({ ms: DAY });
  });

  it('never throws (property)', () => {
    const words = fc.constantFrom('since', 'last', 'past', 'ago', '6h', '24h', '30d', '9am', '14:30', '25:00', 'today', 'yesterday', '2', 'hours', 'two', 'an', 'hour', '504s', 'widen', 'verify', '__proto__', 'constructor');
    const text = fc.oneof(fc.array(fc.oneof(words, fc.string({ maxLength: 8 })), { maxLength: 8 }).map((ws) => ws.join(' ')), fc.string({ maxLength: 200 }));
    fc.assert(
      fc.property(text, fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), fc.constantFrom('UTC', 'America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata', 'nowhere'), (t, now, tz) => {
        const w = readWindowWords(t, now, tz);
        if (w === undefined) return;
        if ('problem' in w) expect(typeof w.problem).toBe('string');
        else expect(w.ms >= 15 * MIN && w.ms <= 7 * DAY && w.ms % MIN === 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
