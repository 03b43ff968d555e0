/**
 * `npm run bench`: the log scanner against GNU `grep -E -c` on the same generated log.
 *
 * Generates a REST execution log and an HTTP API JSON access log of LINES lines each (default
 * 1,000,000; one request in 20 fails), then times on each, as the median of RUNS runs (default 3):
 *   1. `apigw-doctor diagnose --logs FILE --api-type REST --json` end to end (node start-up, knowledge
 *      load, scan, diagnosis, JSON), with its peak RSS from /usr/bin/time;
 *   2. the scan alone, in this process;
 *   3. `grep -E -c` with the knowledge base's log patterns translated to POSIX ERE (LC_ALL=C), which
 *      counts matching lines and does nothing else.
 * The matched-line counts of 2 and 3 are printed side by side as a check that the patterns agree.
 * LOG=path keeps the generated log at that path (and reuses it), for profiling.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKnowledge } from '../src/diagnosis/knowledge/load';
import { LogScanner, scanChunks } from '../src/diagnosis/log-scanner';

const LINES = Number(process.env.LINES ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 3);
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'bin', 'cli.js');

function uuid(n: number): string {
  const h = (n * 2654435761) >>> 0;
  return `${h.toString(16).padStart(8, '0')}-${(n & 0xffff).toString(16).padStart(4, '0')}-4abc-8def-${n.toString(16).padStart(12, '0')}`;
}

/** A realistic REST execution log: INFO lines of each request, and every 20th request failing. */
function generate(path: string, lines: number): void {
  const fd = openSync(path, 'w');
  const failures = [
    'Execution failed due to configuration error: Malformed Lambda proxy response',
    'Execution failed due to configuration error: Invalid permissions on Lambda function',
    'Lambda execution failed with status 200 due to customer function error: Cannot read properties of undefined (reading \'id\'). Lambda request id: 6d0c2a4e-8f1b-4c3d-9e5f-0a1b2c3d4e5f',
    'Execution failed due to a timeout error',
  ];
  let buf: string[] = [];
  let written = 0;
  for (let req = 0; written < lines; req++) {
    const id = uuid(req);
    const t = `2026-11-25T${String(9 + ((req / 3600) | 0) % 10).padStart(2, '0')}:${String(((req / 60) | 0) % 60).padStart(2, '0')}:${String(req % 60).padStart(2, '0')}.000Z`;
    const failing = req % 20 === 0;
    const block = [
      `${t} (${id}) Extended Request Id: ${id.slice(0, 14)}=`,
      `${t} (${id}) Starting execution for request: ${id}`,
      `${t} (${id}) HTTP Method: GET, Resource Path: /orders/${req % 1000}`,
      `${t} (${id}) Method request headers: {Accept=application/json, User-Agent=curl/8.4.0, X-Forwarded-For=203.0.113.${req % 250}}`,
      `${t} (${id}) Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:orders/invocations`,
      `${t} (${id}) Received response. Status: 200, Integration latency: ${20 + (req % 80)} ms`,
      failing ? `${t} (${id}) ${failures[(req / 20) % failures.length | 0]}` : `${t} (${id}) Endpoint response body before transformations: {"statusCode":200,"body":"{\\"id\\":${req}}"}`,
      `${t} (${id}) Method completed with status: ${failing ? 502 : 200}`,
    ];
    for (const line of block) {
      if (written >= lines) break;
      buf.push(line);
      written++;
    }
    if (buf.length >= 10_000) {
      writeSync(fd, `${buf.join('\n')}\n`);
      buf = [];
    }
  }
  if (buf.length > 0) writeSync(fd, `${buf.join('\n')}\n`);
  closeSync(fd);
}

/** An HTTP API JSON access log: one line per request, every 20th a 5xx with its integration error. */
function generateAccess(path: string, lines: number): void {
  const fd = openSync(path, 'w');
  const failures = [
    ['502', 'MALFORMED_PROXY_RESPONSE', "The response from the Lambda function doesn't match the format that API Gateway expects. Invalid status code"],
    ['500', 'INTEGRATION_FAILURE', "The IAM role configured on the integration or API Gateway doesn't have permissions to call the integration. Check the permissions and try again."],
    ['500', 'INTEGRATION_FAILURE', "The Lambda function returned the following error: Cannot read properties of undefined (reading 'id'). Check your Lambda function code and try again."],
    ['504', 'INTEGRATION_TIMEOUT', '-'],
  ] as const;
  let buf: string[] = [];
  for (let req = 0; req < lines; req++) {
    const f = req % 20 === 0 ? failures[(req / 20) % failures.length | 0] : undefined;
    buf.push(
      JSON.stringify({
        requestId: `${uuid(req).slice(0, 14)}=`,
        ip: `203.0.113.${req % 250}`,
        requestTime: `25/Nov/2026:${String(9 + ((req / 3600) | 0) % 10).padStart(2, '0')}:${String(((req / 60) | 0) % 60).padStart(2, '0')}:${String(req % 60).padStart(2, '0')} +0000`,
        routeKey: 'GET /orders/{id}',
        status: f ? f[0] : '200',
        responseLength: f ? '35' : String(200 + (req % 900)),
        integrationStatus: '200',
        integrationLatency: String(20 + (req % 80)),
        integrationErrorMessage: f ? f[2] : '-',
        errorResponseType: f ? f[1] : '-',
      }),
    );
    if (buf.length >= 10_000) {
      writeSync(fd, `${buf.join('\n')}\n`);
      buf = [];
    }
  }
  if (buf.length > 0) writeSync(fd, `${buf.join('\n')}\n`);
  closeSync(fd);
}

/** Drops lookaround groups, which ERE lacks: grep then matches a superset of the lines. */
function dropLookarounds(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\') {
      out += source.slice(i, i + 2);
      i++;
    } else if (/^\(\?<?[=!]/.test(source.slice(i, i + 4))) {
      let depth = 0;
      for (; i < source.length; i++) {
        if (source[i] === '\\') i++;
        else if (source[i] === '(') depth++;
        else if (source[i] === ')' && --depth === 0) break;
      }
    } else {
      out += source[i];
    }
  }
  return out;
}

/** JavaScript RegExp source → POSIX ERE for GNU grep (the constructs the knowledge base uses). */
function toEre(source: string): string {
  return dropLookarounds(source)
    .replace(/\(\?:/g, '(')
    .replace(/\\d/g, '[0-9]')
    .replace(/\\s/g, '[[:space:]]')
    .replace(/\\t/g, '\t')
    .replace(/\\\//g, '/');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function timeMs(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

interface Figures {
  cliMs: number;
  rssMb: number;
  scanMs: number;
  matched: number;
  grepMs: number;
  grepCount: number;
}

async function measure(log: string, apiType: string, patternFile: string, kb: ReturnType<typeof loadKnowledge>): Promise<Figures> {
  // 1. The CLI end to end, with peak RSS.
  const cliMs: number[] = [];
  let rssKb = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, CLI, 'diagnose', '--logs', log, '--api-type', apiType, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    cliMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0) throw new Error(`diagnose failed: ${r.stderr}`);
    rssKb = Math.max(rssKb, Number(r.stderr.trim().split('\n').pop()));
  }
  // 2. The scan alone, in process.
  const scanMs: number[] = [];
  let matched = 0;
  for (let i = 0; i < RUNS; i++) {
    const scanner = new LogScanner(kb);
    const t = process.hrtime.bigint();
    await scanChunks(scanner, createReadStream(log, { encoding: 'latin1', highWaterMark: 1 << 20 }) as AsyncIterable<string>);
    scanMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    matched = [...scanner.digest.groups.values()].reduce((n, g) => n + g.count, 0);
  }
  // 3. grep -E -c with the same patterns.
  const grepMs: number[] = [];
  let grepCount = 0;
  for (let i = 0; i < RUNS; i++) {
    grepMs.push(
      timeMs(() => {
        grepCount = Number(execFileSync('grep', ['-E', '-c', '-f', patternFile, log], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }).trim());
      }),
    );
  }
  return { cliMs: median(cliMs), rssMb: rssKb / 1024, scanMs: median(scanMs), matched, grepMs: median(grepMs), grepCount };
}

function report(title: string, log: string, f: Figures): void {
  const mb = statSync(log).size / (1 << 20);
  const row = (name: string, ms: number, extra = ''): string => `  ${name.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${(mb / (ms / 1000)).toFixed(0).padStart(5)} MiB/s${extra}`;
  console.log(`${title}: ${LINES.toLocaleString('en-US')} lines, ${mb.toFixed(1)} MiB; median of ${RUNS} runs`);
  console.log(row('apigw-doctor diagnose --logs (end to end)', f.cliMs, `  peak RSS ${f.rssMb.toFixed(0)} MiB`));
  console.log(row('LogScanner scan only (in process)', f.scanMs, `  ${f.matched.toLocaleString('en-US')} lines matched`));
  console.log(row('grep -E -c -f patterns (LC_ALL=C)', f.grepMs, `  ${f.grepCount.toLocaleString('en-US')} lines matched`));
  console.log(`  diagnose / grep: ${(f.cliMs / f.grepMs).toFixed(2)}×`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'apigw-bench-'));
  // LOG=path keeps the generated execution log there (and reuses it when it exists), for profiling.
  const log = process.env.LOG ?? join(dir, 'execution.log');
  const accessLog = join(dir, 'access.log');
  try {
    if (process.env.LOG === undefined || !existsSync(log)) generate(log, LINES);
    generateAccess(accessLog, LINES);
    const kb = loadKnowledge();
    // Access signals test one JSON field; for grep, their value pattern anywhere on the line is the equivalent.
    const patterns = kb.causes.flatMap((c) =>
      c.signals.flatMap((s) => (s.kind === 'log' ? [toEre(s.pattern.source)] : s.kind === 'access' ? [toEre(s.pattern.source.replace(/^\^|\$$/g, ''))] : [])),
    );
    const patternFile = join(dir, 'patterns.ere');
    writeFileSync(patternFile, `${patterns.join('\n')}\n`);
    console.log(`${patterns.length} log and access patterns; grep gets them translated to POSIX ERE`);
    report('REST execution log', log, await measure(log, 'REST', patternFile, kb));
    report('HTTP API JSON access log', accessLog, await measure(accessLog, 'HTTP', patternFile, kb));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
