/**
 * The interactive parts of the bot's messages: each button's `action_id`, and the value it carries.
 * A value is a reference to state kept in Redis (the thread's context, an `apis` listing), never a
 * target: whatever a click asks for is looked up again, in the channel the click came from, and
 * authorized again before anything runs. Values are JSON, at most 2,000 characters (Slack's limit).
 */

/** Every `action_id` the bot puts on a message; the web process registers one listener per id. */
export const ACTION_IDS = {
  /** Re-run the thread's investigation with the same question, window ending now. */
  rerun: 'apigw_rerun',
  /** Re-run it with a 24 h window. */
  widen: 'apigw_widen',
  /** Post all the thread's evidence in the thread. */
  evidence: 'apigw_evidence',
  /** 👍 on one finding. */
  voteUp: 'apigw_vote_up',
  /** 👎 on one finding: records the vote and asks "what was it?". */
  voteDown: 'apigw_vote_down',
  /** The answer to "what was it?": another finding's cause, or "something else". */
  wasInstead: 'apigw_was_instead',
  /** An `apis` (or digest) row's Investigate button. */
  investigate: 'apigw_investigate',
  /** The 5xx digest's "Show all N": post every stage with 5xx in the digest's thread. */
  digestAll: 'apigw_digest_all',
} as const;

export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];

/** The value of Re-run, Widen and Show evidence: the thread (its first message's ts) whose context to use. */
export interface ThreadActionValue {
  thread: string;
}

/** The value of 👍/👎: the thread and the finding's number (1-based, as shown) and cause id. */
export interface VoteActionValue {
  thread: string;
  finding: number;
  cause: string;
}

/** The value of an answer to "what was it?": the vote it completes, and the cause named instead (`other`: something else). */
export interface WasInsteadActionValue extends VoteActionValue {
  instead: string;
}

/**
 * The value of an Investigate (or Show all) button: a row of the listing kept in Redis, named by `list`
 * (an id the worker picks before posting, so a click that comes a moment after the post still finds it)
 * or, without one, by the message the button is on.
 */
export interface InvestigateActionValue {
  row: number;
  list?: string;
}

/** "Something else", as an answer to "what was it?". */
export const SOMETHING_ELSE = 'other';

const SLACK_TS = /^\d{1,16}\.\d{1,9}$/;
const CAUSE_ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

export function encodeActionValue(value: ThreadActionValue | VoteActionValue | WasInsteadActionValue | InvestigateActionValue): string {
  return JSON.stringify(value);
}

function record(raw: string): Record<string, unknown> | undefined {
  if (raw.length > 2_000) return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A Re-run / Widen / Show evidence value, or undefined when it is not one (never trusted further than its shape). */
export function readThreadAction(raw: string): ThreadActionValue | undefined {
  const v = record(raw);
  return typeof v?.thread === 'string' && SLACK_TS.test(v.thread) ? { thread: v.thread } : undefined;
}

export function readVoteAction(raw: string): VoteActionValue | undefined {
  const v = record(raw);
  if (typeof v?.thread !== 'string' || !SLACK_TS.test(v.thread)) return undefined;
  if (typeof v.finding !== 'number' || !Number.isInteger(v.finding) || v.finding < 1 || v.finding > 50) return undefined;
  if (typeof v.cause !== 'string' || !CAUSE_ID.test(v.cause)) return undefined;
  return { thread: v.thread, finding: v.finding, cause: v.cause };
}

export function readWasInsteadAction(raw: string): WasInsteadActionValue | undefined {
  const vote = readVoteAction(raw);
  const v = record(raw);
  if (!vote || typeof v?.instead !== 'string' || (v.instead !== SOMETHING_ELSE && !CAUSE_ID.test(v.instead))) return undefined;
  return { ...vote, instead: v.instead };
}

const LIST_ID = /^[a-z0-9-]{8,40}$/;

export function readInvestigateAction(raw: string): InvestigateActionValue | undefined {
  const v = record(raw);
  if (typeof v?.row !== 'number' || !Number.isInteger(v.row) || v.row < 0 || v.row >= 1_000) return undefined;
  if (v.list !== undefined && (typeof v.list !== 'string' || !LIST_ID.test(v.list))) return undefined;
  return { row: v.row, ...(typeof v.list === 'string' ? { list: v.list } : {}) };
}

/**
 * The blocks with every button that names a thread (Re-run, Widen, Show evidence, 👍/👎) made to name
 * `threadTs` instead: the same answer posted in a joined asker's thread gets buttons that find that
 * thread's own context. Other buttons and blocks are left as they are.
 */
export function retargetThreadButtons<B>(blocks: readonly B[], threadTs: string): B[] {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node !== 'object' || node === null) return node;
    const n = node as Record<string, unknown>;
    if (n.type === 'button' && typeof n.value === 'string') {
      const vote = readVoteAction(n.value);
      if (vote) return { ...n, value: encodeActionValue({ ...vote, thread: threadTs }) };
      if (readThreadAction(n.value)) return { ...n, value: encodeActionValue({ thread: threadTs }) };
      return n;
    }
    return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, visit(v)]));
  };
  return blocks.map((b) => visit(b) as B);
}
