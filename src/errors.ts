/**
 * Coded errors a user can cause. Each message says what was wrong and what to type instead; the CLI
 * prints it as one line and exits 2, never with a stack trace.
 */
export enum ErrorCode {
  BadEvidence = 'bad_evidence',
  BadKnowledge = 'bad_knowledge',
  Usage = 'usage',
  UnknownTarget = 'unknown_target',
  AmbiguousTarget = 'ambiguous_target',
  StageNeeded = 'stage_needed',
  AwsUnavailable = 'aws_unavailable',
  NotAllowed = 'not_allowed',
}

export class UserError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An evidence document (or log input) that does not follow DESIGN.md §3. */
export class EvidenceError extends UserError {
  constructor(message: string) {
    super(ErrorCode.BadEvidence, message);
  }
}

/** A knowledge file that does not follow knowledge/README.md. `file` and `field` locate the problem. */
export class KnowledgeError extends UserError {
  readonly file: string;
  readonly field: string;
  constructor(file: string, field: string, expected: string) {
    super(ErrorCode.BadKnowledge, `${file}: ${field || '(top level)'}: ${expected}`);
    this.file = file;
    this.field = field;
  }
}

/** A command line that cannot be understood. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(ErrorCode.Usage, message);
  }
}

/**
 * The API or stage asked about cannot be pinned down: unknown, ambiguous, or several stages and no
 * way to tell which one fails. `candidates` are what the user can type instead, closest first.
 */
export class TargetError extends UserError {
  readonly candidates: readonly string[];
  constructor(code: ErrorCode.UnknownTarget | ErrorCode.AmbiguousTarget | ErrorCode.StageNeeded, message: string, candidates: readonly string[] = []) {
    super(code, message);
    this.candidates = candidates;
  }
}

/** AWS cannot be read at all (no credentials, or the very first call refused): nothing to investigate. */
export class AwsUnavailableError extends UserError {
  constructor(message: string) {
    super(ErrorCode.AwsUnavailable, message);
  }
}

/** What the question resolved to may not be read where it was asked (the channel's `channels:` scope). */
export class NotAllowedError extends UserError {
  constructor(message: string) {
    super(ErrorCode.NotAllowed, message);
  }
}
