/**
 * Investigation job ids follow BullMQ's rules for custom ids (no `:`, never an integer string) and
 * carry their question key, which the worker uses to end the question when the job is answered.
 */
import type { InvestigateJob } from '../../../src/queue/contracts';
import { hashQuestion, investigationJobId, questionKeyOf, questionKeyOfJobId } from '../../../src/queue/investigations';
import { jobKeys } from '../../../src/queue/keys';

const job = (api: string, channelId = 'C0OPS'): InvestigateJob => ({
  question: { status: 502, api, stage: 'prod', sinceMs: 3_600_000 },
  asker: { userId: 'U1', teamId: 'T1', channelId },
  askedAt: '2026-11-25T15:00:00.000Z',
  source: 'command',
});

it('gives the same key to the same question in the same channel, whatever the API’s case', () => {
  expect(questionKeyOf(job('Orders-API'))).toBe(questionKeyOf(job('orders-api')));
  expect(questionKeyOf(job('orders-api', 'C0OTHER'))).not.toBe(questionKeyOf(job('orders-api')));
  expect(questionKeyOf(job('payments-api'))).not.toBe(questionKeyOf(job('orders-api')));
});

it('makes job ids BullMQ accepts, and reads the question key back', () => {
  const key = questionKeyOf(job('orders-api'));
  const id = investigationJobId(key, Date.parse('2026-11-25T15:00:00.000Z'));
  expect(id).toBe(`why-${key}-1795618800000`);
  expect(id).not.toContain(':');
  expect(Number.isInteger(Number(id))).toBe(false);
  expect(questionKeyOfJobId(id)).toBe(key);
  expect(questionKeyOfJobId('digest-2026-11-25')).toBeUndefined();
});

it('hashes to hex', () => {
  expect(hashQuestion('anything')).toMatch(/^[0-9a-f]{32}$/);
});

it('keeps every per-job key under the prefix, so a {hash-tagged} prefix keeps them in one Cluster slot', () => {
  const keys: Record<string, string> = { ...jobKeys('{apigw}', 'why-abc-1') };
  for (const k of Object.values(keys)) expect(k.startsWith('{apigw}:job:why-abc-1:')).toBe(true);
});
