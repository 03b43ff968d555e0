/**
 * `apigw-doctor diagnose`: diagnoses an evidence document (DESIGN.md §3) or a plain log file with no
 * AWS access. Other tools and the held-out accuracy check call it with `--json`.
 */
import { parseArgs } from 'node:util';
import { diagnose, scanEvidence, scanResponse, scannerFor } from '../../src/diagnosis/engine';
import type { Evidence } from '../../src/diagnosis/evidence';
import { parseApiType, parseEvidence, parseIntegrationType, parseStatus } from '../../src/diagnosis/evidence';
import type { LogDigest } from '../../src/diagnosis/log-scanner';
import { scanChunks } from '../../src/diagnosis/log-scanner';
import { apiTypeOfResponse, parseResponseText } from '../../src/diagnosis/response';
import { EvidenceError, UsageError } from '../../src/errors';
import { showControlsIn } from '../../src/render/show-controls';
import { renderTextReport } from '../../src/render/text-report';
import type { CliCommand } from './command';
import { openTextInput, readWholeInput } from './read-input';

const usage = `Usage:
  apigw-doctor diagnose --evidence FILE|- [--response FILE] [--json]
  apigw-doctor diagnose --logs FILE|- --api-type REST|HTTP|WEBSOCKET [--status 502|5xx] [--integration-type AWS_PROXY] [--response FILE] [--json]
  apigw-doctor diagnose --response FILE|- [--api-type REST|HTTP|WEBSOCKET] [--status 504] [--json]

  --evidence   a JSON evidence document (DESIGN.md §3), e.g. examples/evidence/malformed-proxy-response.json
  --logs       a log file, one line per line (execution, access or Lambda log lines); - reads standard input
  --response   what the client got: curl -i (or -v) output, {"status","headers","body"} JSON, or the body alone;
               alone it is a lead, with logs or evidence it can decide between causes
  --status     the status asked about: 500–599 or 5xx (default: the response's, else 5xx)
  --json       print the diagnosis as JSON instead of a report`;

export const diagnoseCommand: CliCommand = {
  name: 'diagnose',
  summary: 'diagnose an evidence file or a log file, no AWS account needed',
  usage,
  run: async (args, io, deps) => {
    const { values } = parseOptions(args);
    if (values.evidence !== undefined && values.logs !== undefined) throw new UsageError('give --evidence or --logs, not both');
    if (values.evidence === undefined && values.logs === undefined && values.response === undefined) {
      throw new UsageError('diagnose needs --evidence FILE, --logs FILE or --response FILE; e.g. npm run -s cli -- diagnose --evidence examples/evidence/malformed-proxy-response.json');
    }
    if ([values.evidence, values.logs, values.response].filter((f) => f === '-').length > 1) throw new UsageError('only one of --evidence, --logs and --response can read standard input (-)');
    const kb = deps.loadKnowledge();
    for (const w of kb.warnings) io.stderr(`warning: ${w}\n`);
    const response = values.response === undefined ? undefined : parseResponseText(await readWholeInput(values.response, io, 'response file'), values.response === '-' ? 'standard input' : values.response);
    // The status the client got is the one asked about unless the user says otherwise.
    const responseStatus = response?.status !== undefined && response.status >= 500 && response.status <= 599 ? String(response.status) : undefined;

    let evidence: Evidence;
    let digest: LogDigest;
    if (values.evidence !== undefined) {
      if (values['api-type'] !== undefined || values.status !== undefined || values['integration-type'] !== undefined) {
        throw new UsageError('--status, --api-type and --integration-type go with --logs or --response; with --evidence, put them in the evidence file');
      }
      const text = await readWholeInput(values.evidence, io, 'evidence file');
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        throw new EvidenceError(`${values.evidence === '-' ? 'standard input' : values.evidence} is not JSON (${(e as Error).message})`);
      }
      evidence = parseEvidence(doc);
      if (response) evidence.response = response;
      digest = scanEvidence(kb, evidence);
    } else {
      if (values['api-type'] === undefined && (values.logs !== undefined || !response || apiTypeOfResponse(response) === undefined)) {
        throw new UsageError(`${values.logs !== undefined ? '--logs' : '--response'} needs --api-type REST, HTTP or WEBSOCKET (the API ${values.logs !== undefined ? 'the logs come from' : 'that answered'})`);
      }
      const integrationType = values['integration-type'];
      evidence = {
        status: parseStatus(values.status ?? responseStatus ?? '5xx', '--status'),
        apiType: values['api-type'] !== undefined ? parseApiType(values['api-type'], '--api-type') : (response && apiTypeOfResponse(response)) ?? 'REST',
        ...(integrationType !== undefined ? { integrationType: parseIntegrationType(integrationType, '--integration-type') } : {}),
        logLines: [],
        integrationErrorMessages: [],
        config: {},
        metrics: {},
        target: {},
        skipped: [],
        ...(response ? { response } : {}),
      };
      const scanner = scannerFor(kb, evidence);
      if (values.logs !== undefined) await scanChunks(scanner, openTextInput(values.logs, io, 'log file'));
      scanResponse(kb, evidence, scanner);
      digest = scanner.digest;
    }
    const diagnosis = diagnose(kb, evidence, digest);

    if (values.json) io.stdout(`${JSON.stringify(diagnosis, null, 2)}\n`);
    else {
      // The report's headline names the API even when only the logs revealed its id and stage. What the
      // input says is escaped before the report styles it (src/render/show-controls.ts).
      const about = { status: evidence.status, apiType: evidence.apiType, metrics: evidence.metrics, target: { ...digest.discovered, ...evidence.target } };
      io.stdout(renderTextReport(showControlsIn(diagnosis), showControlsIn(about), { color: io.stdoutIsTTY }));
    }
    return 0;
  },
};

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        evidence: { type: 'string' },
        logs: { type: 'string' },
        response: { type: 'string' },
        status: { type: 'string' },
        'api-type': { type: 'string' },
        'integration-type': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0] ?? 'bad arguments'}; see: npm run -s cli -- help diagnose`);
  }
}
