/**
 * The investigation job: post "Investigating…" where the question was asked, edit it as the target and
 * each source resolve, then edit it into the verdict and answer in its thread with the findings —
 * and tell everyone who asked the same question meanwhile (the askers who joined this job).
 *
 * A job may run more than once: BullMQ retries it after an error, and gives it to another worker
 * when this one dies (stalled-job recovery). Redis keys under `<prefix>:job:<id>:` make a rerun
 * continue instead of repeating itself:
 *   root    the progress message's channel and ts: a rerun edits it instead of posting a second one
 *   answer  the rendered findings, stored before the final reply is posted
 *   final   `posting`, then the reply's ts: set *before* posting (SET NX), so no rerun posts it again
 *   told    the joiners' threads already told
 *
 * Exactly one final reply — the ordering:
 *   1. investigate, diagnose, save the thread context and the rendered answer (idempotent writes);
 *   2. edit the root into the verdict (an edit: harmless to repeat);
 *   3. end the question (`finishQuestion`): later askers start afresh, and the askers list is final;
 *   4. claim `final` with SET NX; only the claimer posts the findings reply, then records its ts;
 *      a post that fails with an error releases the claim and the job is retried;
 *   5. tell each joiner once (SADD `told`), then return.
 * The one remaining window: the process dies between the claim (4) and Slack accepting the reply.
 * The rerun then sees `final` claimed and does not post, so the thread lacks the findings reply —
 * but the root already shows the verdict (2), so the answer's headline is not lost. We chose that
 * over the opposite order (post, then mark), whose window is a second, duplicate answer. (Slack
 * itself has the mirror case: a post that reached Slack but whose answer was lost to a timeout is
 * an error here and is posted again, by the Web API client's retry or by the job's.)
 * (The root message has the mirror-image window: it is posted, then its ts stored; a death between
 * the two leaves a stray "Investigating…" message and the rerun posts a new root.)
 */
import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Checked, Investigation, ProgressEvent } from '../../src/collect/investigate';
import { investigate } from '../../src/collect/investigate';
import { logLiteralsOf } from '../../src/collect/log-literals';
import type { AwsPorts } from '../../src/collect/ports';
import { formatSince } from '../../src/collect/window';
import type { Diagnosis } from '../../src/diagnosis/engine';
import { diagnose } from '../../src/diagnosis/engine';
import type { KnowledgeBase } from '../../src/diagnosis/knowledge/cause';
import { redactSecrets } from '../../src/diagnosis/redact';
import { ErrorCode, NotAllowedError, TargetError, UserError } from '../../src/errors';
import type { Asker, InvestigateJob, Question } from '../../src/queue/contracts';
import { finishQuestion } from '../../src/queue/investigations';
import { JOB_STATE_TTL_S, jobKeys } from '../../src/queue/keys';
import type { ThreadRef } from '../../src/queue/thread-context';
import { saveThreadContext, threadContextOf } from '../../src/queue/thread-context';
import type { ProgressState } from '../../src/slack/blocks';
import { failureMessage, findingsMessage, progressMessage, verdictMessage } from '../../src/slack/blocks';
import type { Permissions } from '../../src/slack/permissions';
import type { Poster, SlackMessage } from '../../src/slack/poster';
import { ChannelUnavailableError, MessageUnavailableError } from '../../src/slack/poster';

/** The part of a pino logger the handler writes to. */
export interface JobLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** AWS for one question: the ports (real or sandbox), the account alias they read, and the per-collector timeout. */
export interface AwsAccessForJob {
  ports: AwsPorts;
  /** The alias of the `accounts:` entry read; undefined for the default credentials (and the sandbox). */
  account?: string;
  collectorTimeoutMs: number;
}

export interface InvestigateDeps {
  poster: Poster;
  /** AWS (or the sandbox) for the question's account and Region; throws a `UserError` when there is none. */
  aws: (question: Question) => Promise<AwsAccessForJob>;
  knowledge: KnowledgeBase;
  /** The `channels:` scopes: what the question resolved to is checked against the asker's channel before any evidence is read. */
  permissions: Permissions;
  /** The worker's Redis connection, for the job's state and the thread context. */
  redis: Redis;
  /** The queue prefix (`QUEUE_PREFIX`). */
  prefix: string;
  now: () => Date;
  logger: JobLogger;
  /** Least time between two progress edits of the root message. Default 1,000 ms (Slack's ~1 message/s per channel). */
  progressIntervalMs?: number;
}

/** What the handler reads of a BullMQ job; `Job<InvestigateJob>` has all of it. */
export interface InvestigateJobRun {
  id?: string | undefined;
  data: InvestigateJob;
  /** Attempts already made before this one (BullMQ counts from 0). */
  attemptsMade: number;
  opts: { attempts?: number | undefined };
}

/** Where the root message is, and the thread the answer goes to. */
interface Root {
  channel: string;
  ts: string;
  threadTs: string;
}

/** The answer as stored for a rerun that only has joiners left to tell. */
interface StoredAnswer {
  findings: SlackMessage;
  verdict: SlackMessage;
}

const INVITE = '/invite @apigw-doctor';

/**
 * Ends a job BullMQ gave up on without the handler seeing the end: its workers died more than
 * `maxStalledCount` times. The root message stops saying "Investigating…" and every asker hears it,
 * so nothing is left hanging.
 */
export async function reportAbandoned(job: InvestigateJobRun, deps: InvestigateDeps, reason: string): Promise<boolean> {
  const jobId = job.id;
  if (jobId === undefined || (await deps.redis.get(jobKeys(deps.prefix, jobId).final)) !== null) return false;
  const keys = jobKeys(deps.prefix, jobId);
  // Every worker process hears of it: one of them reports.
  if ((await deps.redis.set(`${keys.root}:abandoned`, '1', 'EX', JOB_STATE_TTL_S, 'NX')) !== 'OK') return false;
  const log = { jobId, channel: job.data.asker.channelId };
  const message = failureMessage(`The investigation stopped: ${redactSecrets(reason)}. Ask again; if it keeps happening, the workers are crashing (see their logs).`);
  const root = await loadRoot(deps.redis, keys.root);
  const askers = await finishQuestion(deps.redis, deps.prefix, jobId);
  deps.logger.error({ ...log, reason }, 'investigation abandoned');
  if (root) {
    await editRoot(deps, root, message, log);
    await tellFailure(deps, keys.told, job.data.asker, root, askers, message);
    return true;
  }
  // Never posted: only a slash command's asker can still be told, privately.
  for (const url of new Set(askers.map((a) => a.responseUrl).filter((u): u is string => u !== undefined))) {
    await deps.poster.tellViaResponseUrl(url, message).catch((e: unknown) => deps.logger.warn({ ...log, err: e }, 'could not tell the asker'));
  }
  return true;
}

/** BullMQ's reason for a job its workers left more than `maxStalledCount` times. */
export const STALLED_REASON = /stalled more than allowable limit/i;

/** What the sweep reads of the queue: BullMQ's `Queue#getFailed` has it. */
export interface FailedJobs {
  getFailed(start?: number, end?: number): Promise<(InvestigateJobRun & { failedReason?: string })[]>;
}

/**
 * Ends every recently failed-for-stalling job whose root nobody ended: the failure is told as an event
 * only to processes listening at that moment, so a worker that starts after the others died (or all
 * of them) would otherwise never hear of it. Idempotent (see `reportAbandoned`); returns how many it ended.
 */
export async function sweepAbandoned(jobs: FailedJobs, deps: InvestigateDeps, limit = 200): Promise<number> {
  let ended = 0;
  for (const job of await jobs.getFailed(0, limit - 1)) {
    if (job.failedReason === undefined || !STALLED_REASON.test(job.failedReason)) continue;
    if (await reportAbandoned(job, deps, 'the workers running it stopped in the middle more than twice')) ended++;
  }
  return ended;
}

/** Runs one investigation job. Throws `UnrecoverableError` for a user's mistake (no retry), anything else to be retried. */
export async function handleInvestigateJob(job: InvestigateJobRun, deps: InvestigateDeps): Promise<void> {
  const jobId = job.id;
  if (jobId === undefined) throw new UnrecoverableError('an investigation job needs an id');
  const data = job.data;
  const keys = jobKeys(deps.prefix, jobId);
  const log = { jobId, attempt: job.attemptsMade + 1, channel: data.asker.channelId };
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

  // A rerun after the final reply went out only has the joiners left to tell.
  if ((await deps.redis.get(keys.final)) !== null) {
    deps.logger.info(log, 'final reply already posted; telling the remaining askers');
    const stored = await loadAnswer(deps.redis, keys.answer);
    const root = await loadRoot(deps.redis, keys.root);
    const askers = await finishQuestion(deps.redis, deps.prefix, jobId);
    if (stored && root) await tellJoiners(deps, keys.told, data.asker, root, askers, { inThread: stored.findings, privately: pointerTo(root) });
    return;
  }

  const initial: ProgressState = { question: data.question, checked: [] };
  let root: Root;
  try {
    root = await ensureRoot(deps, keys.root, data, progressMessage(initial));
  } catch (e) {
    if (!(e instanceof ChannelUnavailableError)) throw e;
    deps.logger.warn({ ...log, err: e }, 'cannot post in the channel');
    const askers = await finishQuestion(deps.redis, deps.prefix, jobId);
    await tellCannotPost(deps, askers.length > 0 ? askers : [data.asker], e);
    throw new UnrecoverableError(e.message);
  }

  const progress = new CoalescedEdits((m) => deps.poster.update(root.channel, root.ts, m), deps.progressIntervalMs ?? 1_000, (e) => {
    deps.logger.warn({ ...log, err: e }, 'progress edit failed');
  });
  let state = initial;
  const to = validDate(data.askedAt) ?? deps.now();
  const window = { from: new Date(to.getTime() - data.question.sinceMs), to };

  let investigation: Investigation;
  let diagnosis: Diagnosis;
  try {
    const access = await deps.aws(data.question);
    investigation = await investigate(
      access.ports,
      { api: data.question.api, status: data.question.status, ...(data.question.stage !== undefined ? { stage: data.question.stage } : {}), from: window.from, to: window.to },
      {
        literals: logLiteralsOf(deps.knowledge),
        collectorTimeoutMs: access.collectorTimeoutMs,
        now: () => deps.now().getTime(),
        authorize: (target) => {
          const decision = deps.permissions.authorizeTarget(data.asker.channelId, { ...(access.account !== undefined ? { account: access.account } : {}), region: target.region, apiId: target.apiId, apiName: target.apiName, stage: target.stage });
          if (!decision.allowed) {
            deps.logger.warn({ ...log, api: target.apiId, stage: target.stage, reason: decision.reason }, 'resolved target refused in this channel');
            throw new NotAllowedError(`Not in this channel: ${decision.reason}.`);
          }
        },
        onProgress: (event) => {
          state = nextState(state, event);
          progress.push(progressMessage(state));
        },
      },
    );
    diagnosis = diagnose(deps.knowledge, investigation.evidence);
  } catch (e) {
    await progress.stop();
    if (e instanceof UserError) {
      deps.logger.info({ ...log, code: e.code }, 'the question cannot be investigated');
      const message = failureMessage(e.message, exampleFor(e, data.question));
      await editRoot(deps, root, message, log);
      await tellFailure(deps, keys.told, data.asker, root, await finishQuestion(deps.redis, deps.prefix, jobId), message);
      throw new UnrecoverableError(e.message);
    }
    // Said in the channel: mask anything that looks like a secret (an upstream error may echo one).
    const reason = redactSecrets(e instanceof Error ? e.message : String(e));
    deps.logger.error({ ...log, err: e }, lastAttempt ? 'investigation failed' : 'investigation failed; it will be retried');
    const message = lastAttempt
      ? failureMessage(`The investigation failed: ${reason}. Try again in a few minutes; if it keeps failing, report it with this message.`)
      : failureMessage(`The investigation failed (${reason}); retrying…`);
    await editRoot(deps, root, message, log);
    if (lastAttempt) await tellFailure(deps, keys.told, data.asker, root, await finishQuestion(deps.redis, deps.prefix, jobId), message);
    throw e;
  }
  await progress.stop();

  // 1. What follow-ups and a rerun need, written before anything final is said.
  const answer: StoredAnswer = {
    verdict: verdictMessage(diagnosis, investigation, data.question.status),
    findings: findingsMessage(diagnosis, investigation, data.question.status),
  };
  const context = threadContextOf(jobId, data.question, investigation, diagnosis, deps.now());
  await saveThreadContext(deps.redis, deps.prefix, { channelId: root.channel, threadTs: root.threadTs }, context);
  await deps.redis.set(keys.answer, JSON.stringify(answer), 'EX', JOB_STATE_TTL_S);

  // 2. The root becomes the verdict.
  await editRoot(deps, root, answer.verdict, log);

  // 3. Nobody joins from here on; everyone who did is in `askers`.
  const askers = await finishQuestion(deps.redis, deps.prefix, jobId);

  // 4. The one final reply.
  if ((await deps.redis.set(keys.final, 'posting', 'EX', JOB_STATE_TTL_S, 'NX')) === 'OK') {
    let ts: string;
    try {
      ts = await deps.poster.reply(root.channel, root.threadTs, answer.findings);
    } catch (e) {
      // Slack said no (or could not be reached): nothing was posted, so a retry may post it.
      await deps.redis.del(keys.final);
      throw e;
    }
    await deps.redis.set(keys.final, ts, 'EX', JOB_STATE_TTL_S);
  } else {
    deps.logger.warn(log, 'final reply already claimed by an earlier attempt; not posting it again');
  }

  // 5. Everyone else who asked.
  const joinerThreads = await tellJoiners(deps, keys.told, data.asker, root, askers, { inThread: answer.findings, privately: pointerTo(root) });
  for (const thread of joinerThreads) await saveThreadContext(deps.redis, deps.prefix, thread, context);
  deps.logger.info({ ...log, verdict: diagnosis.verdict, cause: diagnosis.findings[0]?.causeId, askers: askers.length }, 'investigation answered');
}

/** The root message: the one an earlier attempt posted, or a new one (a reply in the mention's thread for a mention). */
async function ensureRoot(deps: InvestigateDeps, key: string, data: InvestigateJob, message: SlackMessage): Promise<Root> {
  const existing = await loadRoot(deps.redis, key);
  if (existing) return existing;
  const channel = data.asker.channelId;
  const askedIn = threadOf(data.asker);
  let root: Root;
  if (askedIn !== undefined) {
    const ts = await deps.poster.reply(channel, askedIn, message);
    root = { channel, ts, threadTs: askedIn };
  } else {
    const ts = await deps.poster.postRoot(channel, message);
    root = { channel, ts, threadTs: ts };
  }
  await deps.redis.set(key, JSON.stringify(root), 'EX', JOB_STATE_TTL_S);
  return root;
}

async function loadRoot(redis: Redis, key: string): Promise<Root | undefined> {
  const raw = await redis.get(key);
  if (raw === null) return undefined;
  const root = JSON.parse(raw) as Partial<Root>;
  return typeof root.channel === 'string' && typeof root.ts === 'string' && typeof root.threadTs === 'string' ? (root as Root) : undefined;
}

async function loadAnswer(redis: Redis, key: string): Promise<StoredAnswer | undefined> {
  const raw = await redis.get(key);
  return raw === null ? undefined : (JSON.parse(raw) as StoredAnswer);
}

/** The thread an asker asked in: a mention's thread (or the mention itself); none for a slash command. */
function threadOf(asker: Asker): string | undefined {
  return asker.threadTs ?? asker.messageTs;
}

/** Edits the root; a root someone deleted is not worth failing the job over. */
async function editRoot(deps: InvestigateDeps, root: Root, message: SlackMessage, log: object): Promise<void> {
  try {
    await deps.poster.update(root.channel, root.ts, message);
  } catch (e) {
    if (!(e instanceof MessageUnavailableError)) throw e;
    deps.logger.warn({ ...log, err: e }, 'the progress message can no longer be edited');
  }
}

/**
 * The askers besides the first, one per thread other than the answer's: a mention's thread gets
 * `say.inThread` as a reply, a slash command (no thread) `say.privately` through its response_url.
 * Each is told once across reruns. A failure is logged, not retried: the answer itself is out.
 */
async function tellJoiners(deps: InvestigateDeps, toldKey: string, first: Asker, root: Root, askers: readonly Asker[], say: { inThread: SlackMessage; privately: SlackMessage }): Promise<ThreadRef[]> {
  const threads: ThreadRef[] = [];
  const seen = new Set([placeOf(first), `${root.channel}/${root.threadTs}`]);
  for (const asker of askers) {
    const place = placeOf(asker);
    if (seen.has(place)) continue;
    seen.add(place);
    if ((await deps.redis.sadd(toldKey, place)) === 0) continue;
    await deps.redis.expire(toldKey, JOB_STATE_TTL_S);
    const thread = threadOf(asker);
    try {
      if (thread !== undefined) {
        await deps.poster.reply(asker.channelId, thread, say.inThread);
        threads.push({ channelId: asker.channelId, threadTs: thread });
      } else if (asker.responseUrl !== undefined) {
        await deps.poster.tellViaResponseUrl(asker.responseUrl, say.privately);
      }
    } catch (e) {
      deps.logger.warn({ err: e, channel: asker.channelId }, 'could not tell a joined asker');
    }
  }
  return threads;
}

/** A failure said in the root is also said where each joiner asked. */
async function tellFailure(deps: InvestigateDeps, toldKey: string, first: Asker, root: Root, askers: readonly Asker[], message: SlackMessage): Promise<void> {
  await tellJoiners(deps, toldKey, first, root, askers, { inThread: message, privately: message });
}

/** What a slash-command joiner is told privately: where the answer is. */
function pointerTo(root: Root): SlackMessage {
  return { text: `Someone asked the same a moment before you: the answer is in the thread of the investigation in <#${root.channel}>.` };
}

/** Each asker who can be told privately learns why the bot cannot post there, and what to do. */
async function tellCannotPost(deps: InvestigateDeps, askers: readonly Asker[], error: ChannelUnavailableError): Promise<void> {
  const channel = error.channel;
  const message = cannotPostMessage(error);
  const urls = new Set(askers.map((a) => a.responseUrl).filter((u): u is string => u !== undefined));
  for (const url of urls) {
    try {
      await deps.poster.tellViaResponseUrl(url, message);
    } catch (e) {
      deps.logger.warn({ err: e, channel }, 'could not tell the asker that the bot cannot post in the channel');
    }
  }
}

/** Why the bot cannot post in a channel, by Slack's error: not invited, archived, or not visible to it. */
function cannotPostMessage(error: ChannelUnavailableError): SlackMessage {
  const channel = error.channel;
  switch (error.code) {
    case 'is_archived':
      return failureMessage(`<#${channel}> is archived, so nobody can post there: ask in a channel that is not archived (or unarchive this one).`, undefined, [channel]);
    case 'channel_not_found':
      return failureMessage(`I can't see <#${channel}> (a private channel or conversation I'm not in, or one that was deleted): invite me with ${INVITE} there, or ask in a channel I'm in.`, INVITE, [channel]);
    case 'not_in_channel':
      return failureMessage(`I'm not in <#${channel}>: invite me with ${INVITE}, then ask again.`, INVITE, [channel]);
  }
}

function placeOf(asker: Asker): string {
  return `${asker.channelId}/${threadOf(asker) ?? `user:${asker.userId}`}`;
}

/** What to type instead, from a target error's closest candidate. */
function exampleFor(e: UserError, q: Question): string | undefined {
  if (!(e instanceof TargetError)) return undefined;
  const [candidate] = e.candidates;
  if (candidate === undefined) return undefined;
  const since = formatSince(q.sinceMs);
  return e.code === ErrorCode.StageNeeded ? `/apigw why ${q.status} ${q.api} ${candidate} ${since}` : `/apigw why ${q.status} ${candidate}${q.stage !== undefined ? ` ${q.stage}` : ''} ${since}`;
}

function nextState(state: ProgressState, event: ProgressEvent): ProgressState {
  if (event.kind === 'target') return { ...state, target: event.target, apiType: event.apiType, window: event.window };
  const checked: Checked[] = [...state.checked, event.checked];
  return { ...state, checked };
}

function validDate(iso: string): Date | undefined {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/**
 * Progress edits, at most one per interval: a new state replaces one not yet sent, and the last state
 * is always sent (unless `stop` comes first, when the verdict replaces it anyway).
 */
export class CoalescedEdits {
  private latest: SlackMessage | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly send: (message: SlackMessage) => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  push(message: SlackMessage): void {
    if (this.stopped) return;
    this.latest = message;
    this.schedule();
  }

  /** Sends nothing more; resolves when an edit in flight has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.latest = undefined;
    await this.inflight;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.inflight !== undefined || this.stopped) return;
    const delay = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = undefined;
    const message = this.latest;
    this.latest = undefined;
    if (message === undefined || this.stopped) return;
    this.lastSentAt = Date.now();
    this.inflight = this.send(message)
      .catch(this.onError)
      .finally(() => {
        this.inflight = undefined;
        if (this.latest !== undefined) this.schedule();
      });
  }
}
