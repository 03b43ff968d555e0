/**
 * How fast the bot answers in Slack: the built web and worker processes against a local fake Slack
 * API, real Redis and the sandbox (each AWS answer delayed SANDBOX_LATENCY_MS, default 50). It sends
 * N signed `/apigw why` commands (default 20, different APIs so none joins another) and reports the
 * ack time Slack would see and the time to the threaded answer. Run: `npm run bench:slack`.
 */
import { randomUUID } from 'node:crypto';
import { SCENARIOS } from '../src/collect/adapters/sandbox/scenarios';
import { startFakeSlack } from '../test/helpers/fake-slack';
import { freePort, postSlashCommand, startProcess } from '../test/helpers/processes';

const N = Number(process.env.N ?? 20);
const LATENCY = process.env.SANDBOX_LATENCY_MS ?? '50';
const SECRET = 'bench-signing-secret';

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const slack = await startFakeSlack();
  const port = await freePort();
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `bench${randomUUID().slice(0, 8)}`,
    PORT: String(port),
    APIGW_DOCTOR_SANDBOX: '1',
    SANDBOX_LATENCY_MS: LATENCY,
    WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '4',
    LOG_LEVEL: 'info',
  };
  const web = startProcess('web', env);
  const worker = startProcess('worker', env);
  try {
    await Promise.all([web.waitForLine('web ready'), worker.waitForLine('worker ready')]);
    const scenarios = SCENARIOS.filter((s) => s.cause !== null);
    const acks: number[] = [];
    const answers: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const s = scenarios[i % scenarios.length]!;
        const channel = `C0BENCH${String(i).padStart(3, '0')}`;
        const sent = Date.now();
        const ack = await postSlashCommand(`http://127.0.0.1:${port}`, SECRET, {
          team_id: 'T0BENCH01', channel_id: channel, user_id: 'U0BENCH01', command: '/apigw',
          text: `why ${String(s.status)} ${s.apiName} ${s.stage}`, response_url: `${slack.url}/response/${channel}`, trigger_id: 't',
        });
        if (ack.status !== 200) throw new Error(`ack ${ack.status}: ${ack.body}`);
        acks.push(ack.ms);
        await slack.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage' && c.args.channel === channel && c.args.thread_ts !== undefined), 120_000);
        answers.push(Date.now() - sent);
      }),
    );
    const wall = Date.now() - started;
    console.log(`${N} /apigw why commands at once, worker concurrency ${env.WORKER_CONCURRENCY}, each AWS answer ${LATENCY} ms (sandbox)`);
    console.log(`  ack (HTTP 200 from /slack/events):  median ${quantile(acks, 0.5)} ms, p95 ${quantile(acks, 0.95)} ms, max ${Math.max(...acks)} ms`);
    console.log(`  threaded answer after the command:  median ${quantile(answers, 0.5)} ms, p95 ${quantile(answers, 0.95)} ms, max ${Math.max(...answers)} ms`);
    console.log(`  all answered in ${wall} ms; Slack Web API calls: ${slack.calls.length}`);
  } finally {
    await Promise.all([web.stop(), worker.stop()]);
    await slack.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
