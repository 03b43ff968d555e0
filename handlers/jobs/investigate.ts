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
 * An investigation asked from a thread (`widen 24h`, Re-run) is given the thread's root instead of
 * posting one. The root, the stored answer and the joiners' delivery live in src/queue/answer-delivery.ts;
 * this file is the order of the steps. The thread keeps its context and whole investigation (7 days)
 * for the follow-ups, and the answer carries 👍/👎 under each finding and the thread's buttons.
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
import type { Root, StoredAnswer } from '../../src/queue/answer-delivery';
import { editRoot, ensureRoot, loadAnswer, loadRoot, pointerTo, tellCannotPost, tellFailure, tellJoiners } from '../../src/queue/answer-delivery';
import { saveThreadContext, saveThreadInvestigation, threadContextOf } from '../../src/queue/thread-context';
import type { ProgressState } from '../../src/slack/blocks';
import { failureMessage, findingsMessage, progressMessage, verdictMessage } from '../../src/slack/blocks';
import type { Permissions } from '../../src/slack/permissions';
import type { Poster } from '../../src/slack/poster';
import { ChannelUnavailableError } from '../../src/slack/poster';
import { CoalescedEdits } from '../../src/slack/coalesced-edits';
import { voteBlock } from '../../src/slack/feedback-blocks';
import { answerActions } from '../../src/slack/follow-up-blocks';

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
  aws: (where: Pick<Question, 'account' | 'region'>) => Promise<AwsAccessForJob>;
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

/**
 * Ends a job BullMQ gave up on without the handler seeing the end: its workers died more than
 * `maxStalledCount` times. The root message stops saying "Investigating…" and every asker hears it,
 * so nothing is left hanging.
 */
export async function reportAbandoned(job: { id?: string | undefined; data: { asker?: Asker | undefined } }, deps: InvestigateDeps, reason: string): Promise<boolean> {
  const jobId = job.id;
  const first = job.data.asker;
  if (first === undefined) {
    // A scheduled digest has nobody to tell: its period is lost, and the log says so.
    deps.logger.error({ jobId, reason }, 'scheduled job abandoned');
    return false;
  }
  if (jobId === undefined || (await deps.redis.get(jobKeys(deps.prefix, jobId).final)) !== null) return false;
  const keys = jobKeys(deps.prefix, jobId);
  // Every worker process hears of it: one of them reports.
  if ((await deps.redis.set(`${keys.root}:abandoned`, '1', 'EX', JOB_STATE_TTL_S, 'NX')) !== 'OK') return false;
  const log = { jobId, channel: first.channelId };
  const message = failureMessage(`The investigation stopped: ${redactSecrets(reason)}. Ask again; if it keeps happening, the workers are crashing (see their logs).`);
  const root = await loadRoot(deps.redis, keys.root);
  const askers = await finishQuestion(deps.redis, deps.prefix, jobId);
  deps.logger.error({ ...log, reason }, 'investigation abandoned');
  if (root) {
    await editRoot(deps, root, message, log);
    await tellFailure(deps, keys.told, first, root, askers, message);
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
  getFailed(start?: number, end?: number): Promise<{ id?: string | undefined; data: { asker?: Asker | undefined }; failedReason?: string }[]>;
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
    findings: findingsMessage(diagnosis, investigation, data.question.status, {
      // Votes and buttons name the thread; a click finds its context there (and a quiet stage has nothing to vote on).
      afterFinding: (f, n) => [voteBlock(root.threadTs, n, f.causeId, f.title)],
      footer: [answerActions(root.threadTs)],
    }),
  };
  const context = threadContextOf(jobId, data.question, investigation, diagnosis, deps.now(), root.ts);
  const here = { channelId: root.channel, threadTs: root.threadTs };
  await saveThreadInvestigation(deps.redis, deps.prefix, here, investigation);
  await saveThreadContext(deps.redis, deps.prefix, here, context);
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
  for (const thread of joinerThreads) {
    await saveThreadInvestigation(deps.redis, deps.prefix, thread, investigation);
    await saveThreadContext(deps.redis, deps.prefix, thread, context);
  }
  deps.logger.info({ ...log, verdict: diagnosis.verdict, cause: diagnosis.findings[0]?.causeId, askers: askers.length }, 'investigation answered');
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
