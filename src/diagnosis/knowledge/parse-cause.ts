/**
 * Validates one knowledge file against the schema of knowledge/README.md and compiles it. A problem
 * is one {@link KnowledgeError} naming the file, the field and what was expected, never a crash.
 */
import { parseDocument } from 'yaml';
import { KnowledgeError, UserError } from '../../errors';
import type { Condition } from '../conditions';
import { factsOf, parseCondition } from '../conditions';
import type { ApiType } from '../evidence';
import { API_TYPES, INTEGRATION_TYPES, LOG_SOURCES, isRecord, parseEvidence } from '../evidence';
import { isMetricName } from '../facts';
import { isPlaceholder } from '../placeholders';
import type { TemplateLine } from '../shell';
import { parseTemplate, placeholdersOf } from '../shell';
import type { AccessField, Cause, Example, FixTemplate, Signal } from './cause';
import { ACCESS_FIELDS } from './cause';
import type { ResponseField } from '../response';
import { MIN_LITERAL_LENGTH, requiredLiterals } from './literals';

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** The most a response signal may weigh (below the verdict's 0.6): what the client saw only leads. */
export const RESPONSE_MAX_WEIGHT = 0.55;

/**
 * Texts that say nothing about the cause. No log or access pattern may match them: a generic
 * `Internal server error` alone must never name a cause.
 */
export const GENERIC_TEXTS: readonly string[] = [
  '{"message": "Internal server error"}',
  '{"message":"Internal Server Error"}',
  '{"message":"Service Unavailable"}',
  'Internal server error',
  'Internal Server Error',
  'Method completed with status: 500',
  'Method completed with status: 502',
  'Method completed with status: 503',
  'Method completed with status: 504',
  'Execution failed due to configuration error: some other problem',
];

class Reader {
  constructor(readonly file: string) {}

  fail(field: string, expected: string): never {
    throw new KnowledgeError(this.file, field, expected);
  }

  record(value: unknown, field: string): Record<string, unknown> {
    if (!isRecord(value)) this.fail(field, 'expected a map');
    return value;
  }

  string(obj: Record<string, unknown>, key: string, field: string, what = 'a non-empty string'): string {
    const v = obj[key];
    if (typeof v !== 'string' || v.trim() === '') this.fail(`${field}${key}`, `expected ${what}${v === undefined ? ' (missing)' : ''}`);
    return v;
  }

  optString(obj: Record<string, unknown>, key: string, field: string): string | undefined {
    return obj[key] === undefined ? undefined : this.string(obj, key, field);
  }

  list(obj: Record<string, unknown>, key: string, field: string, required: boolean): unknown[] {
    const v = obj[key];
    if (v === undefined && !required) return [];
    if (!Array.isArray(v) || (required && v.length === 0)) this.fail(`${field}${key}`, `expected a non-empty list${v === undefined ? ' (missing)' : ''}`);
    return v as unknown[];
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
    const found = allowed.find((a) => a === value);
    if (found === undefined) this.fail(field, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
    return found;
  }

  enumList<T extends string>(obj: Record<string, unknown>, key: string, allowed: readonly T[], field: string, required: boolean): T[] | undefined {
    if (obj[key] === undefined && !required) return undefined;
    return this.list(obj, key, field, true).map((v, i) => this.oneOf(v, allowed, `${field}${key}[${i}]`));
  }

  number(value: unknown, field: string, min: number, max: number, what: string): number {
    if (typeof value !== 'number' || !(value >= min && value <= max)) this.fail(field, `expected ${what}, got ${JSON.stringify(value)}`);
    return value;
  }

  /** One condition, or a list of them of which any rules out. */
  anyOf(value: unknown, field: string): Condition[] {
    if (Array.isArray(value)) {
      if (value.length === 0) this.fail(field, 'expected a condition or a non-empty list of conditions');
      return value.map((v, i) => this.condition(v, `${field}[${i}]`));
    }
    return [this.condition(value, field)];
  }

  condition(value: unknown, field: string): Condition {
    const parsed = parseCondition(value, field);
    if ('error' in parsed) this.fail(parsed.field, parsed.error);
    return parsed;
  }

  template(value: unknown, field: string, mustRunAws: boolean): TemplateLine[] {
    if (typeof value !== 'string' || value.trim() === '') this.fail(field, 'expected a command template (text)');
    const lines = parseTemplate(value);
    if ('error' in lines) this.fail(field, lines.error);
    const commands = lines.filter((l) => 'words' in l);
    if (mustRunAws && commands.length === 0) this.fail(field, 'expected at least one command');
    for (const line of commands) {
      const first = line.words[0];
      if (first?.length !== 1 || !('text' in first[0]!) || first[0].text !== 'aws') {
        this.fail(field, 'every command must start with the literal word "aws" (the bot only prints AWS CLI commands)');
      }
    }
    for (const name of placeholdersOf(lines)) {
      if (!isPlaceholder(name)) this.fail(field, `unknown placeholder {${name}}; expected a target field (apiId, stage, region, functionArn, …), functionName, or a fact name`);
    }
    return lines;
  }
}

/** Parses YAML text as a knowledge file. `file` names it in errors. */
export function parseCauseFile(text: string, file: string): Cause {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const where = firstError.linePos?.[0] ? `line ${firstError.linePos[0].line}` : 'YAML';
    throw new KnowledgeError(file, where, `not valid YAML (${firstError.message.split('\n')[0] ?? ''})`);
  }
  return parseCause(doc.toJS() as unknown, file);
}

export function parseCause(raw: unknown, file: string): Cause {
  const r = new Reader(file);
  const top = r.record(raw, '');
  const id = r.string(top, 'id', '');
  if (!ID.test(id)) r.fail('id', `expected a kebab-case id such as "lambda-timeout", got "${id}"`);
  const kind = top.kind === undefined ? 'root-cause' : r.oneOf(top.kind, ['root-cause', 'telemetry'] as const, 'kind');
  const apiTypes = r.enumList(top, 'apiTypes', API_TYPES, '', true) ?? [];
  const integrationTypes = r.enumList(top, 'integrationTypes', INTEGRATION_TYPES, '', false);
  const statuses = parseStatuses(r, top.statuses, apiTypes);
  const signalIds = new Set<string>();
  const signals = r.list(top, 'signals', '', true).map((s, i) => parseSignal(r, s, `signals[${i}].`, id, signalIds));
  const fixes = r.list(top, 'fixes', '', kind === 'root-cause' || kind === 'telemetry').map((f, i) => parseFix(r, f, `fixes[${i}].`, signalIds));
  if (fixes.length > 0 && fixes.every((f) => f.signals !== undefined)) r.fail('fixes', 'expected at least one fix without `signals`, shown whichever signal fired');
  const docs = r.list(top, 'docs', '', true).map((d, i) => {
    const field = `docs[${i}].`;
    const rec = r.record(d, `docs[${i}]`);
    const url = r.string(rec, 'url', field);
    if (!/^https:\/\/\S+$/.test(url)) r.fail(`${field}url`, 'expected an https:// URL');
    return { title: r.string(rec, 'title', field), url };
  });
  const examplesRec = r.record(top.examples, 'examples');
  const cause: Cause = {
    id,
    title: r.string(top, 'title', ''),
    kind,
    summary: r.string(top, 'summary', ''),
    explanation: foldParagraphs(r.string(top, 'explanation', '')),
    apiTypes,
    ...(integrationTypes ? { integrationTypes } : {}),
    statuses,
    ...(top.excludes !== undefined ? { excludes: r.anyOf(top.excludes, 'excludes') } : {}),
    signals,
    fixes,
    docs,
    examples: {
      match: r.list(examplesRec, 'match', 'examples.', true).map((e, i) => parseExample(r, e, `examples.match[${i}]`, apiTypes, statuses, 'match')),
      noMatch: r.list(examplesRec, 'noMatch', 'examples.', true).map((e, i) => parseExample(r, e, `examples.noMatch[${i}]`, apiTypes, statuses, 'noMatch')),
    },
    file,
  };
  return cause;
}

/** YAML block text keeps the author's line breaks; readers get paragraphs (blank lines kept). */
function foldParagraphs(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' '))
    .join('\n\n');
}

function parseStatuses(r: Reader, raw: unknown, apiTypes: readonly ApiType[]): Partial<Record<ApiType, number[]>> {
  const field = 'statuses';
  const codes = (v: unknown, f: string): number[] => {
    if (!Array.isArray(v) || v.length === 0) r.fail(f, 'expected a non-empty list of statuses from 500 to 599');
    return v.map((c, i) => r.number(c, `${f}[${i}]`, 500, 599, 'a status from 500 to 599'));
  };
  if (Array.isArray(raw)) {
    const list = codes(raw, field);
    return Object.fromEntries(apiTypes.map((t) => [t, list]));
  }
  const rec = r.record(raw, `${field} (a list of statuses, or a map of API type to statuses)`);
  const out: Partial<Record<ApiType, number[]>> = {};
  for (const t of apiTypes) {
    if (rec[t] === undefined) r.fail(`${field}.${t}`, `expected the statuses a ${t} API returns for this cause (missing)`);
    out[t] = codes(rec[t], `${field}.${t}`);
  }
  for (const key of Object.keys(rec)) r.oneOf(key, apiTypes, `${field}.${key}`);
  return out;
}

function parseSignal(r: Reader, raw: unknown, field: string, causeId: string, ids: Set<string>): Signal {
  const rec = r.record(raw, field.slice(0, -1));
  const id = r.string(rec, 'id', field);
  if (!ID.test(id)) r.fail(`${field}id`, `expected a kebab-case id, got "${id}"`);
  if (ids.has(id)) r.fail(`${field}id`, `"${id}" is used by another signal of this cause`);
  ids.add(id);
  const kind = r.oneOf(rec.kind, ['log', 'access', 'fact', 'metric', 'response'] as const, `${field}kind`);
  const base = {
    uid: `${causeId}#${id}`,
    id,
    causeId,
    weight: r.number(rec.weight, `${field}weight`, Number.MIN_VALUE, 1, 'a weight above 0 and at most 1'),
    ...(rec.apiTypes !== undefined ? { apiTypes: r.enumList(rec, 'apiTypes', API_TYPES, field, true) } : {}),
    ...(rec.requires !== undefined ? { requires: r.condition(rec.requires, `${field}requires`) } : {}),
    ...(rec.excludes !== undefined ? { excludes: r.anyOf(rec.excludes, `${field}excludes`) } : {}),
    ...(rec.status !== undefined ? { status: r.number(rec.status, `${field}status`, 500, 599, 'a status from 500 to 599') } : {}),
    ...(rec.unlessSeen !== undefined ? { unlessSeen: parseUnlessSeen(r, rec.unlessSeen, `${field}unlessSeen`) } : {}),
    ...(rec.corroborates !== undefined ? { corroborates: parseCorroborates(r, rec.corroborates, `${field}corroborates`) } : {}),
  };
  if (kind === 'fact' || kind === 'metric') {
    const when = r.condition(rec.when, `${field}when`);
    if (kind === 'metric' && !factsOf(when).some(isMetricName)) {
      r.fail(`${field}when`, 'expected a metric signal to test at least one metric (count5xx, lambdaThrottles, …)');
    }
    const says = r.string(rec, 'says', field, 'the evidence text shown when it fires, e.g. "integration HTTP method is {integrationHttpMethod}"');
    return { ...base, kind, when, says, ...(typeof rec.source === 'string' ? { cite: rec.source } : {}) };
  }
  const cite = r.string(rec, 'source', field, 'the URL of the public source this text was taken from');
  if (!/^https:\/\/\S+$/.test(cite)) r.fail(`${field}source`, 'expected an https:// URL of the public source of this text');
  const patternText = r.string(rec, 'pattern', field, 'a JavaScript regular expression');
  const flags = rec.flags === undefined ? '' : r.oneOf(rec.flags, ['', 'i'] as const, `${field}flags`);
  let pattern: RegExp;
  try {
    pattern = new RegExp(patternText, flags);
  } catch (e) {
    r.fail(`${field}pattern`, `not a valid JavaScript regular expression (${(e as Error).message})`);
  }
  if (kind === 'response') {
    // What the client saw is a lead, never an answer by itself: most 5xx bodies say only "Internal server error".
    if (base.weight > RESPONSE_MAX_WEIGHT) r.fail(`${field}weight`, `expected at most ${RESPONSE_MAX_WEIGHT} for a response signal: alone it must not decide a cause`);
    const responseField = typeof rec.field === 'string' && /^(?:body|status|header:[A-Za-z0-9-]+)$/.test(rec.field) ? (rec.field.toLowerCase() as ResponseField) : r.fail(`${field}field`, 'expected body, status or header:<name> (e.g. header:x-amzn-ErrorType)');
    return { ...base, kind, field: responseField, pattern, cite };
  }
  const literals = requiredLiterals(patternText);
  if (!literals) {
    r.fail(`${field}pattern`, `expected every alternative to contain a literal of at least ${MIN_LITERAL_LENGTH} characters, so the scanner can prefilter lines`);
  }
  const generic = GENERIC_TEXTS.find((g) => pattern.test(g));
  if (generic !== undefined) r.fail(`${field}pattern`, `matches the generic text ${JSON.stringify(generic)}, which alone must never name a cause`);
  const text = {
    ...base,
    kind,
    pattern,
    literals: flags === 'i' ? literals.map((l) => l.toLowerCase()) : literals,
    caseInsensitive: flags === 'i',
    cite,
  };
  if (kind === 'access') {
    const fields: AccessField[] = r.enumList(rec, 'fields', ACCESS_FIELDS, field, true) ?? [];
    return { ...text, fields };
  }
  const sources = r.enumList(rec, 'sources', LOG_SOURCES, field, false);
  return { ...text, ...(sources ? { sources } : {}) };
}

const SIGNAL_REF = /^[a-z0-9]+(?:-[a-z0-9]+)*#[a-z0-9]+(?:-[a-z0-9]+)*$/;

function parseUnlessSeen(r: Reader, raw: unknown, field: string): string[] {
  if (!Array.isArray(raw) || raw.length === 0) r.fail(field, 'expected a non-empty list of "<cause-id>#<signal-id>"');
  return raw.map((v, i) => {
    if (typeof v !== 'string' || !SIGNAL_REF.test(v)) r.fail(`${field}[${i}]`, `expected "<cause-id>#<signal-id>", got ${JSON.stringify(v)}`);
    return v;
  });
}

function parseFix(r: Reader, raw: unknown, field: string, signalIds: ReadonlySet<string>): FixTemplate {
  const rec = r.record(raw, field.slice(0, -1));
  const notes = r.list(rec, 'notes', field, false).map((n, i) => {
    if (typeof n !== 'string') r.fail(`${field}notes[${i}]`, 'expected a string');
    return n;
  });
  if (rec.redeploy !== undefined && typeof rec.redeploy !== 'boolean') r.fail(`${field}redeploy`, 'expected true or false');
  const apiTypes = r.enumList(rec, 'apiTypes', API_TYPES, field, false);
  const command = r.template(rec.command, `${field}command`, true);
  const verify = r.template(rec.verify, `${field}verify`, true);
  for (const [name, lines] of [['command', command], ['verify', verify]] as const) {
    const hole = literalHole(lines);
    if (hole !== undefined) r.fail(`${field}${name}`, `"${hole}" would be printed for the user to fill in; use a {placeholder} the evidence can fill (knowledge/README.md lists them), or say it in a note`);
  }
  return {
    title: r.string(rec, 'title', field),
    ...(apiTypes ? { apiTypes } : {}),
    ...(rec.requires !== undefined ? { requires: r.condition(rec.requires, `${field}requires`) } : {}),
    ...(rec.excludes !== undefined ? { excludes: r.anyOf(rec.excludes, `${field}excludes`) } : {}),
    ...(rec.signals !== undefined ? { signals: parseFixSignals(r, rec.signals, `${field}signals`, signalIds) } : {}),
    command,
    verify,
    changes: r.string(rec, 'changes', field, 'a sentence saying what running the command changes'),
    notes,
    redeploy: rec.redeploy === true,
  };
}

/** The ids of this cause's signals a fix belongs to. */
function parseFixSignals(r: Reader, raw: unknown, field: string, signalIds: ReadonlySet<string>): string[] {
  if (!Array.isArray(raw) || raw.length === 0) r.fail(field, 'expected a non-empty list of this cause\'s signal ids');
  return raw.map((v, i) => {
    if (typeof v !== 'string' || !signalIds.has(v)) r.fail(`${field}[${i}]`, `expected the id of one of this cause's signals (${[...signalIds].join(', ')}), got ${JSON.stringify(v)}`);
    return v;
  });
}

/** A `<something>` written into a command for the user to replace by hand, if any. */
function literalHole(lines: readonly TemplateLine[]): string | undefined {
  for (const line of lines) {
    const texts = 'comment' in line ? [line.comment] : line.words.flat().flatMap((seg) => ('text' in seg ? [seg.text] : []));
    for (const t of texts) {
      const m = /<[A-Za-z][\w-]*>/.exec(t);
      if (m) return m[0];
    }
  }
  return undefined;
}

function parseExample(
  r: Reader,
  raw: unknown,
  field: string,
  apiTypes: readonly ApiType[],
  statuses: Partial<Record<ApiType, readonly number[]>>,
  kind: 'match' | 'noMatch',
): Example {
  const rec = r.record(raw, field);
  const name = r.string(rec, 'name', `${field}.`);
  const evidenceRaw = r.record(rec.evidence, `${field}.evidence`);
  const apiType = (evidenceRaw.apiType as ApiType | undefined) ?? apiTypes[0];
  const evidence = { status: statuses[apiType ?? 'REST']?.[0] ?? '5xx', apiType, ...evidenceRaw };
  try {
    parseEvidence(evidence);
  } catch (e) {
    if (e instanceof UserError) r.fail(`${field}.evidence`, e.message);
    throw e;
  }
  const example: Example = { name, evidence };
  if (kind === 'match') {
    if (rec.minConfidence !== undefined) example.minConfidence = r.number(rec.minConfidence, `${field}.minConfidence`, 0, 1, 'a number from 0 to 1');
    if (rec.rank !== undefined) example.rank = r.number(rec.rank, `${field}.rank`, 1, 10, 'a rank from 1 to 10');
  } else if (rec.maxConfidence !== undefined) {
    example.maxConfidence = r.number(rec.maxConfidence, `${field}.maxConfidence`, 0, 1, 'a number from 0 to 1');
  }
  return example;
}

function parseCorroborates(r: { fail: (field: string, expected: string) => never }, value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') r.fail(field, 'expected true or false');
  return value;
}
