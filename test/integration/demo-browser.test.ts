/**
 * `npm run demo` in a real browser: the built demo (real web and worker processes on the sandbox,
 * real Redis, the local Slack workspace) driven through its page in Chromium, as a newcomer would:
 * a question typed on the page is answered in its thread, a follow-up typed in the thread is answered
 * there, buttons work (in channel and on an ephemeral message), and a mention starts an investigation.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { chromiumPath, startDemo } from '../helpers/demo';
import type { DemoRun } from '../helpers/demo';

jest.setTimeout(90_000);

let demo: DemoRun;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  demo = startDemo({ DEMO_PORT: '0', REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: `demo-browser-${randomUUID().slice(0, 8)}`, SANDBOX_LATENCY_MS: '30' });
  const url = await demo.url;
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(url);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  expect(await demo?.stop()).toBe(0);
});

const channelMessages = (): Locator => page.locator('#channel-list .message');
const threadMessages = (): Locator => page.locator('#thread-list .message');

async function type(where: '#composer' | '#thread-composer', text: string): Promise<void> {
  await page.locator(`${where} textarea`).fill(text);
  await page.locator(`${where} textarea`).press('Enter');
}

describe('the demo page', () => {
  it('shows an empty #oncall channel with a composer and suggestions', async () => {
    await expect(page.title()).resolves.toContain('#oncall');
    await page.locator('.chip', { hasText: '/apigw why 502 orders-api' }).click();
    await expect(page.locator('#composer textarea').inputValue()).resolves.toBe('/apigw why 502 orders-api');
  });

  it('a question typed on the page is acked to the asker only, and answered in its thread', async () => {
    await page.locator('#composer textarea').press('Enter');
    const ack = channelMessages().filter({ hasText: 'Only visible to you' });
    await ack.filter({ hasText: 'Investigating 502s on orders-api' }).first().waitFor();
    const root = channelMessages().filter({ hasText: 'Likely cause' }).first();
    await root.waitFor({ timeout: 30_000 });
    await expect(root.textContent()).resolves.toMatch(/502s on orders-api.*Malformed Lambda proxy response/s);
    // The root was posted at once and edited as the investigation ran.
    await expect(root.locator('.edited').count()).resolves.toBe(1);
    await root.locator('.replies').click();
    const answer = threadMessages().nth(1);
    await answer.waitFor();
    await expect(answer.textContent()).resolves.toContain('Malformed Lambda proxy response');
    // Code blocks are rendered as code, with the real ids filled in.
    await expect(answer.locator('pre.code').first().textContent()).resolves.toMatch(/aws lambda invoke --function-name arn:aws:lambda:us-east-1:123456789012:function:orders-handler/);
    await expect(answer.locator('button', { hasText: 'Show evidence' }).count()).resolves.toBe(1);
    // The README's picture: DEMO_SCREENSHOT=docs/demo-answer.png npx jest test/integration/demo-browser.test.ts
    if (process.env.DEMO_SCREENSHOT) {
      await page.evaluate("document.getElementById('thread-list').scrollTo(0, 0)");
      await page.screenshot({ path: process.env.DEMO_SCREENSHOT });
    }
  });

  it('a follow-up typed in the thread is answered in the thread', async () => {
    const before = await threadMessages().count();
    await type('#thread-composer', 'fixes');
    await threadMessages().nth(before + 1).waitFor({ timeout: 30_000 });
    await expect(threadMessages().nth(before).textContent()).resolves.toContain('fixes');
    const reply = threadMessages().nth(before + 1);
    await expect(reply.locator('.meta b').textContent()).resolves.toBe('apigw-doctor');
    await expect(reply.locator('pre.code').first().textContent()).resolves.toContain('aws ');
  });

  it('Show evidence, clicked, posts the evidence in the thread', async () => {
    const before = await threadMessages().count();
    await threadMessages().nth(1).locator('button', { hasText: 'Show evidence' }).click();
    await threadMessages().nth(before).waitFor({ timeout: 30_000 });
    await expect(threadMessages().nth(before).textContent()).resolves.toMatch(/×/);
  });

  it('👎 asks the voter alone what it was; answering on that ephemeral message is recorded', async () => {
    await threadMessages().nth(1).locator('button[data-action-id="apigw_vote_down"]').first().click();
    const asked = page.locator('#thread-list .message.ephemeral', { hasText: 'What was it?' });
    await asked.waitFor({ timeout: 20_000 });
    await expect(asked.textContent()).resolves.toContain('Only visible to you');
    await asked.locator('button', { hasText: /something else/i }).click();
    await page.locator('#thread-list .message.ephemeral', { hasText: /something else/i }).filter({ hasNotText: 'What was it?' }).first().waitFor({ timeout: 20_000 });
  });

  it('a mention in the channel starts an investigation answered in the mention\'s thread', async () => {
    await page.locator('#thread .close').click();
    await type('#composer', '@apigw-doctor why is payments-http returning 5xx?');
    const mention = channelMessages().filter({ hasText: 'why is payments-http' }).first();
    await mention.locator('.mention').waitFor();
    await mention.locator('.replies').waitFor({ timeout: 30_000 });
    await mention.locator('.replies').click();
    await threadMessages().filter({ hasText: 'payments-http' }).nth(1).waitFor({ timeout: 30_000 });
  });

  it('a command it does not know is answered by Slackbot, to the typist only', async () => {
    await type('#composer', '/deploy now');
    await channelMessages().filter({ hasText: '/deploy is not a valid command here' }).waitFor();
  });
});
