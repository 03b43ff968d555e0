/**
 * A bad knowledge file is one clear error naming the file, the field and what was expected; a team
 * folder can add and override causes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KnowledgeError } from '../../../src/errors';
import { SHIPPED_KNOWLEDGE_DIR, loadKnowledge } from '../../../src/diagnosis/knowledge/load';
import { parseCauseFile } from '../../../src/diagnosis/knowledge/parse-cause';

const good = readFileSync(join(SHIPPED_KNOWLEDGE_DIR, 'integration-timeout.yaml'), 'utf8');
/** Where the latency signal sits in the shipped file, so the expected field paths follow the file. */
const latency = parseCauseFile(good, 'x.yaml').signals.findIndex((s) => s.id === 'latency-reached-timeout');

function errorOf(yaml: string): KnowledgeError {
  try {
    parseCauseFile(yaml, 'team/bad.yaml');
  } catch (e) {
    if (e instanceof KnowledgeError) return e;
    throw e;
  }
  throw new Error('expected the file to be rejected');
}

test('a shipped file parses', () => {
  expect(parseCauseFile(good, 'x.yaml').id).toBe('integration-timeout');
});

test.each([
  ['not YAML', 'id: [unclosed', 'line 1', /not valid YAML/],
  ['missing id', good.replace(/^id: .*$/m, ''), 'id', /expected a non-empty string \(missing\)/],
  ['id not kebab-case', good.replace(/^id: .*$/m, 'id: Integration_Timeout'), 'id', /kebab-case/],
  ['unknown api type', good.replace('apiTypes: [REST, WEBSOCKET, HTTP]', 'apiTypes: [REST, GRPC]'), 'apiTypes[1]', /expected one of REST, HTTP, WEBSOCKET, got "GRPC"/],
  ['weight out of range', good.replace('weight: 0.95', 'weight: 1.5'), 'signals[0].weight', /above 0 and at most 1, got 1.5/],
  ['weight as text', good.replace('weight: 0.95', 'weight: high'), 'signals[0].weight', /got "high"/],
  ['bad regular expression', good.replace("pattern: 'Execution failed due to a timeout error'", "pattern: 'Execution failed (due'"), 'signals[0].pattern', /not a valid JavaScript regular expression/],
  ['pattern with no literal to prefilter on', good.replace("pattern: 'Execution failed due to a timeout error'", "pattern: '\\d+ ms'"), 'signals[0].pattern', /literal of at least 4 characters/],
  ['pattern that matches the generic body', good.replace("pattern: 'Execution failed due to a timeout error'", "pattern: 'Internal server error'"), 'signals[0].pattern', /generic text .*must never name a cause/],
  ['signal with no source', good.replace('    source: https://repost.aws/knowledge-center/api-gateway-504-errors\n', ''), 'signals[0].source', /URL of the public source/],
  ['unknown fact in a condition', good.replace('integrationLatencyMaxMs: {gte: {fact: integrationTimeoutMs}}', 'integrationLatencyMax: {gte: 1}'), `signals[${latency}].when.integrationLatencyMax`, /unknown fact "integrationLatencyMax"/],
  ['unknown test in a condition', good.replace('{gte: {fact: integrationTimeoutMs}}', '{above: 3}'), `signals[${latency}].when.integrationLatencyMaxMs.above`, /unknown test "above"/],
  ['unknown placeholder', good.replace('--rest-api-id {apiId} --resource-id', '--rest-api-id {restApi} --resource-id'), 'fixes[0].command', /unknown placeholder \{restApi\}/],
  ['command that is not aws', good.replace('      aws apigateway update-integration', '      curl -X POST https://example.com; aws apigateway update-integration'), 'fixes[0].command', /must start with the literal word "aws"/],
  ['placeholder in a comment', good.replace('      aws apigateway update-integration', '      # for {apiId}\n      aws apigateway update-integration'), 'fixes[0].command', /comment line may not hold a \{placeholder\}/],
  ['fix without verify', good.replace(/ {4}verify: \|\n {6}aws apigateway get-integration .*\n/, ''), 'fixes[0].verify', /expected a command template/],
  ['example evidence with a bad status', good.replace('        status: 504\n        logLines:\n          - \'(fbcaf9e5', "        status: 200\n        logLines:\n          - '(fbcaf9e5"), 'examples.match[0].evidence', /status: expected a status from 500 to 599/],
  ['no noMatch examples', good.replace(/ {2}noMatch:[\s\S]*$/, ''), 'examples.noMatch', /expected a non-empty list/],
])('%s', (_name, yaml, field, message) => {
  const e = errorOf(yaml);
  expect(e.file).toBe('team/bad.yaml');
  expect(e.field).toBe(field);
  expect(e.message).toMatch(message);
  expect(e.message.startsWith(`team/bad.yaml: ${field}: `)).toBe(true);
  expect(e.message).not.toContain('\n');
});

describe('team folders (KNOWLEDGE_DIRS)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kb-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a cause with a shipped id overrides it, with a warning', () => {
    writeFileSync(join(dir, 'timeout.yaml'), good.replace('title: Integration timeout', 'title: Our timeout'));
    const kb = loadKnowledge([dir]);
    const cause = kb.causes.find((c) => c.id === 'integration-timeout');
    expect(cause?.title).toBe('Our timeout');
    expect(kb.warnings).toEqual([expect.stringMatching(/timeout\.yaml overrides cause "integration-timeout" from knowledge\/integration-timeout\.yaml/)]);
  });

  test('a new cause is added', () => {
    writeFileSync(join(dir, 'ours.yaml'), good.replace('id: integration-timeout', 'id: our-gateway-timeout'));
    const ids = loadKnowledge([dir]).causes.map((c) => c.id);
    expect(ids).toContain('our-gateway-timeout');
    expect(ids).toContain('integration-timeout');
  });

  test('a folder that does not exist is a clear error', () => {
    expect(() => loadKnowledge([join(dir, 'nope')])).toThrow(/nope: \(top level\): cannot read this knowledge folder \(ENOENT\); check the path in KNOWLEDGE_DIRS/);
  });

  test('unlessSeen must name a text signal that exists', () => {
    writeFileSync(
      join(dir, 'ours.yaml'),
      good.replace('id: integration-timeout', 'id: our-timeout').replace("    weight: 0.95\n    status: 504\n    source: https://repost.aws/knowledge-center/api-gateway-504-errors", "    weight: 0.95\n    status: 504\n    unlessSeen: [integration-timeout#no-such-signal]\n    source: https://repost.aws/knowledge-center/api-gateway-504-errors"),
    );
    expect(() => loadKnowledge([dir])).toThrow(/ours\.yaml: signals\[0\]\.unlessSeen\[0\]: no log or access signal "integration-timeout#no-such-signal"/);
  });

  test('two files with one id in a folder are rejected', () => {
    writeFileSync(join(dir, 'a.yaml'), good);
    writeFileSync(join(dir, 'b.yaml'), good);
    expect(() => loadKnowledge([dir])).toThrow(/b\.yaml: id: "integration-timeout" is already defined by .*a\.yaml/);
  });
});
