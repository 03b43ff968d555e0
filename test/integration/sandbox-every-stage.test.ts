/**
 * `why` on every API **and every stage** of the sandbox account, as `apis` lists them, through the real
 * SDK clients the sandbox answers: a failing stage names its scenario's cause first, a quiet stage (the
 * `dev` stages, no traffic) names none and says so, with no advice on its telemetry. For every one of
 * them, over 15 minutes, an hour and a day ending at the same moment: a wider window never shows fewer
 * 5xx, requests or log lines than a narrower one inside it, `apis` and `why` count the same 5xx and
 * requests, and no explanation, fix or advice shows a `<placeholder>` a user would have to fill in
 * (only a quoted command argument may, with a note saying how to find its value).
 */
import { sandboxPorts } from '../../src/collect/adapters/sandbox-ports';
import { sandboxWorld } from '../../src/collect/adapters/sandbox/sandbox-world';
import { SCENARIOS } from '../../src/collect/adapters/sandbox/scenarios/index';
import type { Investigation } from '../../src/collect/investigate';
import { investigate } from '../../src/collect/investigate';
import type { ApiStageErrors } from '../../src/collect/list-apis';
import { listApiErrors } from '../../src/collect/list-apis';
import { logLiteralsOf } from '../../src/collect/log-literals';
import type { Diagnosis } from '../../src/diagnosis/engine';
import { CONFIDENT, diagnose } from '../../src/diagnosis/engine';
import { PLACEHOLDER_NAMES, resolvePlaceholder } from '../../src/diagnosis/placeholders';
import { renderInvestigationReport } from '../../src/render/investigation-report';
import { findingsMessage, verdictMessage } from '../../src/slack/blocks';
import { shippedKnowledge } from '../helpers/knowledge';

const NOW = new Date('2026-11-25T15:00:00Z');
const MINUTE = 60_000;
const WINDOWS = [
  { name: '15m', ms: 15 * MINUTE },
  { name: '1h', ms: 60 * MINUTE },
  { name: '24h', ms: 24 * 60 * MINUTE },
] as const;

const kb = shippedKnowledge();
const literals = logLiteralsOf(kb);
const world = sandboxWorld(NOW);

interface Run {
  investigation: Investigation;
  diagnosis: Diagnosis;
}

function portsOf(): ReturnType<typeof sandboxPorts>['ports'] {
  return sandboxPorts(world, { logs: { pollMs: 1, maxPollMs: 2 } }).ports;
}

async function why(api: string, stage: string, windowMs: number): Promise<Run> {
  const investigation = await investigate(portsOf(), { api, status: '5xx', stage, from: new Date(NOW.getTime() - windowMs), to: NOW }, { literals });
  return { investigation, diagnosis: diagnose(kb, investigation.evidence) };
}

const listed = new Map<string, ApiStageErrors[]>();
const runs = new Map<string, Run>();
const key = (row: Pick<ApiStageErrors, 'apiName' | 'stage'>, window: string): string => `${row.apiName} ${row.stage} ${window}`;

beforeAll(async () => {
  for (const w of WINDOWS) {
    const list = await listApiErrors(portsOf(), { from: new Date(NOW.getTime() - w.ms), to: NOW });
    listed.set(w.name, list.stages);
  }
  const stages = listed.get('1h') ?? [];
  // A few at a time: each investigation is a handful of sandbox calls.
  for (let i = 0; i < stages.length; i += 8) {
    await Promise.all(
      stages.slice(i, i + 8).flatMap((row) =>
        WINDOWS.map(async (w) => {
          runs.set(key(row, w.name), await why(row.apiName, row.stage, w.ms));
        }),
      ),
    );
  }
}, 120_000);

const STAGES = (() => {
  // What the sandbox holds, worked out the way `apis` lists it: every scenario's API with its stages.
  const rest = world.restApis.flatMap((r) => (r.stages ?? []).map((s) => ({ apiName: r.api.name ?? '', stage: s.stageName ?? '' })));
  const v2 = world.v2Apis.flatMap((a) => a.stages.map((s) => ({ apiName: a.api.Name ?? '', stage: s.StageName ?? '' })));
  return [...rest, ...v2].sort((a, b) => a.apiName.localeCompare(b.apiName) || a.stage.localeCompare(b.stage));
})();

function expectation(apiName: string, stage: string): { kind: 'cause'; cause: string } | { kind: 'healthy' } | { kind: 'quiet' } {
  const scenario = SCENARIOS.find((s) => s.apiName === apiName);
  if (scenario?.stage !== stage) return { kind: 'quiet' };
  return scenario.cause === null ? { kind: 'healthy' } : { kind: 'cause', cause: scenario.cause };
}

test('apis lists every API stage of the sandbox, and the dev stages are among them', () => {
  expect((listed.get('1h') ?? []).map((r) => `${r.apiName} ${r.stage}`).sort()).toEqual(STAGES.map((s) => `${s.apiName} ${s.stage}`).sort());
  expect(STAGES.filter((s) => expectation(s.apiName, s.stage).kind === 'quiet').length).toBeGreaterThanOrEqual(5);
});

describe.each(STAGES)('$apiName $stage', ({ apiName, stage }) => {
  const run = (window: string): Run => {
    const r = runs.get(key({ apiName, stage }, window));
    if (!r) throw new Error(`no run for ${apiName} ${stage} ${window}`);
    return r;
  };
  const expected = expectation(apiName, stage);

  it(expected.kind === 'cause' ? `names ${expected.cause} first` : expected.kind === 'healthy' ? 'names no cause: nothing fails' : 'is quiet: no cause, no advice, said plainly', () => {
    const { diagnosis, investigation } = run('1h');
    const top = diagnosis.findings[0];
    switch (expected.kind) {
      case 'cause':
        expect({ cause: top?.causeId, decided: (top?.confidence ?? 0) >= CONFIDENT || top?.kind === 'telemetry' }).toEqual({ cause: expected.cause, decided: true });
        break;
      case 'healthy':
        expect(diagnosis.findings.filter((f) => f.confidence >= CONFIDENT)).toEqual([]);
        break;
      case 'quiet': {
        expect({ quiet: diagnosis.quiet, findings: diagnosis.findings.length, missing: diagnosis.missing.length }).toEqual({ quiet: true, findings: 0, missing: 0 });
        const text = renderInvestigationReport(diagnosis, investigation, { status: '5xx', checkCommand: `apigw-doctor check ${apiName} ${stage}` });
        expect(text.split('\n')[0]).toMatch(new RegExp(`^No 5xx on ${apiName} \\(.*stage ${stage}.*\\) in the last 1h \\(0 requests\\)$`));
        expect(text).toContain(`No 5xx on stage ${stage} in the last 1h (0 requests).`);
        // The stage that does fail is named, with its numbers; no telemetry advice for a stage where nothing failed.
        const failing = SCENARIOS.find((s) => s.apiName === apiName && s.cause !== null);
        if (failing) expect(text).toMatch(new RegExp(`Stages? with 5xx in that window: ${failing.stage} \\([\\d,]+ of [\\d,]+ requests\\)`));
        expect(text).not.toContain('(see: apigw-doctor check');
        break;
      }
    }
  });

  it('a wider window never shows fewer 5xx, requests or log lines, and apis counts what why counts', () => {
    let previous: { count5xx: number; count: number; lines: number; routes: number } | undefined;
    for (const w of WINDOWS) {
      const { investigation } = run(w.name);
      const m = investigation.evidence.metrics;
      const now = {
        count5xx: m.count5xx ?? 0,
        count: m.count ?? 0,
        lines: investigation.evidence.logLines.reduce((n, l) => n + (l.count ?? 1), 0),
        routes: investigation.failingRoutes.reduce((n, r) => n + r.count, 0),
      };
      if (previous) {
        for (const k of ['count5xx', 'count', 'lines', 'routes'] as const) expect({ window: w.name, [k]: now[k] >= previous[k] }).toEqual({ window: w.name, [k]: true });
      }
      previous = now;
      const row = (listed.get(w.name) ?? []).find((r) => r.apiName === apiName && r.stage === stage);
      expect({ window: w.name, count5xx: Math.round(now.count5xx), count: Math.round(now.count) }).toEqual({ window: w.name, count5xx: row?.count5xx, count: row?.count });
    }
  });

  it('shows no <placeholder> outside a quoted command argument with a note, in any window or surface', () => {
    for (const w of WINDOWS) {
      const { diagnosis, investigation } = run(w.name);
      expect(placeholderProblems(diagnosis, investigation)).toEqual([]);
    }
  });
});

const HOLE = /<[A-Za-z][\w-]*>/g;

/** How every placeholder shows when its value is unknown: `<rest-api-id>`, `<function-name>`, `<integrationTimeoutMs>`… */
const UNKNOWN = new Set(
  (['REST', 'HTTP', 'WEBSOCKET'] as const).flatMap((apiType) => PLACEHOLDER_NAMES.map((n) => resolvePlaceholder(n, { apiType, target: {}, config: {}, metrics: {} }).value)),
);

/** True when the text before `at` leaves a single-quoted word open: the hole is inside a quoted argument. */
function insideQuotes(text: string, at: number): boolean {
  const line = text.slice(text.lastIndexOf('\n', at) + 1, at);
  return (line.match(/'/g) ?? []).length % 2 === 1;
}

/** Every place a `<placeholder>` shows where it may not: in prose, or in a command unquoted or without a note. */
function placeholderProblems(diagnosis: Diagnosis, investigation: Investigation): string[] {
  const problems: string[] = [];
  const prose = (where: string, text: string): void => {
    // Prose may quote an unknown value only as the note under a fix does: '<rest-api-id>' is not in the evidence …
    for (const m of text.replace(/'<[A-Za-z][\w-]*>'/g, '').matchAll(HOLE)) problems.push(`${where}: ${m[0]} in "${text.slice(0, 120)}"`);
  };
  const command = (where: string, text: string, notes: readonly string[]): void => {
    for (const m of text.matchAll(HOLE)) {
      if (text.slice(text.lastIndexOf('\n', m.index) + 1).startsWith('#')) continue;
      const quoted = insideQuotes(text, m.index);
      const noted = notes.some((n) => n.includes(`'${m[0]}'`)) || text.includes(`# '${m[0]}'`);
      if (!quoted || !noted) problems.push(`${where}: ${m[0]} ${quoted ? 'without a note' : 'unquoted'} in "${text.slice(0, 120)}"`);
    }
  };
  for (const f of diagnosis.findings) {
    prose(`${f.causeId} title`, f.title);
    prose(`${f.causeId} explanation`, f.explanation);
    for (const e of f.evidence.filter((e) => e.source === 'config' || e.source === 'metrics')) prose(`${f.causeId} evidence`, e.message);
    for (const fix of f.fixes) {
      prose(`${f.causeId} fix title`, fix.title);
      prose(`${f.causeId} fix changes`, fix.changes);
      for (const n of fix.notes) prose(`${f.causeId} fix note`, n);
      command(`${f.causeId} fix command`, fix.command, fix.notes);
      command(`${f.causeId} fix verify`, fix.verify, fix.notes);
    }
  }
  for (const m of diagnosis.missing) {
    prose('missing', m.what);
    command('missing how', m.how, []);
  }
  // And as a user reads them, the terminal report and the Slack reply (mrkdwn escapes < and >): a
  // placeholder of ours shows only quoted. Log lines quoted as evidence may hold any text, <Message> too.
  const surfaces = [
    renderInvestigationReport(diagnosis, investigation, { status: '5xx' }),
    JSON.stringify([findingsMessage(diagnosis, investigation, '5xx'), verdictMessage(diagnosis, investigation, '5xx')]).replace(/&lt;/g, '<').replace(/&gt;/g, '>'),
  ];
  for (const text of surfaces) {
    for (const m of text.matchAll(HOLE)) {
      if (UNKNOWN.has(m[0]) && !(text[m.index - 1] === "'" || insideQuotes(text, m.index))) problems.push(`surface: ${m[0]} unquoted near "${text.slice(Math.max(0, m.index - 60), m.index + 40)}"`);
    }
  }
  return problems;
}
