/** The scanner gives the same digest however the text is cut into chunks, and keeps memory bounded. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { SHIPPED_KNOWLEDGE_DIR } from '../../../src/diagnosis/knowledge/load';
import { parseCauseFile } from '../../../src/diagnosis/knowledge/parse-cause';
import type { LogDigest } from '../../../src/diagnosis/log-scanner';
import { LogScanner, MAX_GROUPS, MAX_LINE, scanChunks } from '../../../src/diagnosis/log-scanner';
import { shippedKnowledge } from '../../helpers/knowledge';

const kb = shippedKnowledge();

const LOG = [
  '2026-11-25T09:00:00.000Z (11111111-1111-4111-8111-111111111111) Execution failed due to configuration error: Malformed Lambda proxy response',
  '2026-11-25T09:00:00.001Z (11111111-1111-4111-8111-111111111111) Method completed with status: 502',
  'an unrelated line',
  '(22222222-2222-4222-8222-222222222222) Sending request to https://lambda.us-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-west-2:123456789012:function:fn/invocations',
  '(22222222-2222-4222-8222-222222222222) Execution failed due to a timeout error\r',
  '{"requestId":"AbCdEfGhIjKlMnO=","status":"504","errorResponseType":"INTEGRATION_TIMEOUT"}',
  "2018-05-17T06:46:28.161Z\tfb63a8b6-599d-11e8-a437-911ac44bc0b4\tERROR\tInvoke Error \t{\"errorType\":\"TypeError\",\"errorMessage\":\"x is not a function\"}",
].join('\n');

function plain(d: LogDigest) {
  return {
    lines: d.lines,
    bySource: d.linesBySource,
    hits: Object.fromEntries([...d.signalHits].sort()),
    statuses: Object.fromEntries(d.statuses),
    groups: [...d.groups.values()].map((g) => ({ ...g, signals: [...g.signals].sort() })),
    discovered: d.discovered,
  };
}

async function scanInChunks(text: string, cuts: number[]): Promise<LogDigest> {
  const scanner = new LogScanner(kb);
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let last = 0;
  for (const p of points) {
    chunks.push(text.slice(last, p));
    last = p;
  }
  chunks.push(text.slice(last));
  const stream = async function* (): AsyncGenerator<string> {
    for (const c of chunks) yield await Promise.resolve(c);
  };
  await scanChunks(scanner, stream());
  return scanner.digest;
}

test('what one pass finds: statuses, signals by source, request ids, ids the logs reveal', async () => {
  const d = await scanInChunks(LOG, []);
  expect(d.lines).toBe(7);
  expect(Object.fromEntries(d.statuses)).toEqual({ 502: 1, 504: 1 });
  expect(d.signalHits.get('malformed-lambda-proxy-response#execution-log')).toBe(1);
  expect(d.signalHits.get('integration-timeout#execution-log')).toBe(1);
  expect(d.signalHits.get('integration-timeout#response-type')).toBe(1);
  expect(d.signalHits.get('lambda-function-error#node-invoke-error')).toBe(1);
  expect(d.discovered).toEqual({ region: 'us-west-2', functionArn: 'arn:aws:lambda:us-west-2:123456789012:function:fn' });
  const timeout = [...d.groups.values()].find((g) => g.signals.has('integration-timeout#execution-log'));
  expect(timeout).toMatchObject({ source: 'execution', requestIds: ['22222222-2222-4222-8222-222222222222'], message: 'Execution failed due to a timeout error' });
  const access = [...d.groups.values()].find((g) => g.source === 'access');
  expect(access?.requestIds).toEqual(['AbCdEfGhIjKlMnO=']);
});

test('any chunking gives the same digest as one chunk', async () => {
  const whole = plain(await scanInChunks(LOG, []));
  await fc.assert(
    fc.asyncProperty(fc.array(fc.nat(), { maxLength: 12 }), async (cuts) => {
      expect(plain(await scanInChunks(LOG, cuts))).toEqual(whole);
    }),
    { numRuns: 200 },
  );
});

test('a line longer than the cap is scanned by its start and the rest skipped, the next line still counts', async () => {
  const long = `Execution failed due to a timeout error ${'x'.repeat(MAX_LINE + 10)}`;
  const text = `${long}\nExecution failed due to configuration error: Malformed Lambda proxy response\n`;
  const d = await scanInChunks(text, [1000, MAX_LINE / 2, MAX_LINE + 5]);
  expect(d.signalHits.get('integration-timeout#execution-log')).toBe(1);
  expect(d.signalHits.get('malformed-lambda-proxy-response#execution-log')).toBe(1);
});

test('distinct messages are capped; counts stay exact', () => {
  const scanner = new LogScanner(kb);
  const lines: string[] = [];
  for (let i = 0; i < MAX_GROUPS + 500; i++) lines.push(`Lambda execution failed with status 200 due to customer function error: error kind ${'abcdefghij'[i % 10]}${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i / 26) | 0) % 26)}${String.fromCharCode(97 + ((i / 676) | 0) % 26)}`);
  scanner.scanText(lines.join('\n'));
  expect(scanner.digest.groups.size).toBe(MAX_GROUPS);
  expect(scanner.digest.signalHits.get('lambda-function-error#customer-function-error')).toBe(MAX_GROUPS + 500);
});

test('a case-insensitive pattern finds its line whatever the case, next to case-sensitive ones', () => {
  const yaml = readFileSync(join(SHIPPED_KNOWLEDGE_DIR, 'integration-timeout.yaml'), 'utf8')
    .replace('id: integration-timeout', 'id: shouting-timeout')
    .replace("pattern: 'Execution failed due to a timeout error'", "pattern: 'execution failed due to a timeout error'\n    flags: i");
  const custom = { causes: [...kb.causes, parseCauseFile(yaml, 'custom.yaml')], warnings: [] };
  const scanner = new LogScanner(custom);
  scanner.scanText('EXECUTION FAILED DUE TO A TIMEOUT ERROR\nExecution failed due to a timeout error\nMethod completed with status: 504\n');
  expect(scanner.digest.signalHits.get('shouting-timeout#execution-log')).toBe(2);
  expect(scanner.digest.signalHits.get('integration-timeout#execution-log')).toBe(1);
  expect(Object.fromEntries(scanner.digest.statuses)).toEqual({ 504: 1 });
});

test('a line that holds two literals of one signal counts once for it', () => {
  const scanner = new LogScanner(kb);
  scanner.scanText("[ERROR] KeyError: 'x' LAMBDA_WARNING: Unhandled exception\n", 'lambda');
  expect(scanner.digest.signalHits.get('lambda-function-error#python-traceback')).toBe(1);
});
