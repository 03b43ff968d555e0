/**
 * `apigw-doctor diagnose`: diagnoses an evidence document (DESIGN.md §3) or a plain log file with no
 * AWS access. Other tools and the held-out accuracy check call it with `--json`.
 */
import { parseArgs } from 'node:util';
import { diagnose, scanEvidence } from '../../src/diagnosis/engine';
import type { Evidence } from '../../src/diagnosis/evidence';
import { parseApiType, parseEvidence, parseIntegrationType, parseStatus } from '../../src/diagnosis/evidence';
import type { LogDigest } from '../../src/diagnosis/log-scanner';
import { LogScanner, scanChunks } from '../../src/diagnosis/log-scanner';
import { EvidenceError, UsageError } from '../../src/errors';
import { renderTextReport } from '../../src/render/text-report';
import type { CliCommand } from './command';
import { openTextInput, readWholeInput } from './read-input';

const usage = `Usage:
  apigw-doctor diagnose --evidence FILE|- [--json]
  apigw-doctor diagnose --logs FILE|- --api-type REST|HTTP|WEBSOCKET [--status 502|5xx] [--integration-type AWS_PROXY] [--json]

  --evidence   a JSON evidence document (DESIGN.md §3), e.g. examples/evidence/malformed-proxy-response.json
  --logs       a log file, one line per line (execution, access or Lambda log lines); - reads standard input
  --status     the status asked about: 500–599 or 5xx (default 5xx)
  --json       print the diagnosis as JSON instead of a report`;

export const diagnoseCommand: CliCommand = {
  name: 'diagnose',
  summary: 'diagnose an evidence file or a log file, no AWS account needed',
  usage,
  run: async (args, io, deps) => {
    const { values } = parseOptions(args);
    if (values.evidence !== undefined && values.logs !== undefined) throw new UsageError('give --evidence or --logs, not both');
    if (values.evidence === undefined && values.logs === undefined) {
      throw new UsageError('diagnose needs --evidence FILE or --logs FILE; e.g. npm run -s cli -- diagnose --evidence examples/evidence/malformed-proxy-response.json');
    }
    const kb = deps.loadKnowledge();
    for (const w of kb.warnings) io.stderr(`warning: ${w}\n`);

    let evidence: Evidence;
    let digest: LogDigest;
    if (values.evidence !== undefined) {
      if (values['api-type'] !== undefined || values.status !== undefined || values['integration-type'] !== undefined) {
        throw new UsageError('--status, --api-type and --integration-type go with --logs; with --evidence, put them in the evidence file');
      }
      const text = await readWholeInput(values.evidence, io, 'evidence file');
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        throw new EvidenceError(`${values.evidence === '-' ? 'standard input' : values.evidence} is not JSON (${(e as Error).message})`);
      }
      evidence = parseEvidence(doc);
      digest = scanEvidence(kb, evidence);
    } else {
      if (values['api-type'] === undefined) throw new UsageError('--logs needs --api-type REST, HTTP or WEBSOCKET (the API the logs come from)');
      const integrationType = values['integration-type'];
      evidence = {
        status: parseStatus(values.status ?? '5xx', '--status'),
        apiType: parseApiType(values['api-type'], '--api-type'),
        ...(integrationType !== undefined ? { integrationType: parseIntegrationType(integrationType, '--integration-type') } : {}),
        logLines: [],
        integrationErrorMessages: [],
        config: {},
        metrics: {},
        target: {},
        skipped: [],
      };
      const scanner = new LogScanner(kb);
      await scanChunks(scanner, openTextInput(values.logs ?? '-', io, 'log file'));
      digest = scanner.digest;
    }
    const diagnosis = diagnose(kb, evidence, digest);

    if (values.json) io.stdout(`${JSON.stringify(diagnosis, null, 2)}\n`);
    // The report's headline names the API even when only the logs revealed its id and stage.
    else io.stdout(renderTextReport(diagnosis, { ...evidence, target: { ...digest.discovered, ...evidence.target } }, { color: io.stdoutIsTTY }));
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
