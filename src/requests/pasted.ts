/**
 * Is a message in an answered thread pasted evidence (log lines, an error response) rather than
 * chatter? A code block, or at least two lines that look like log lines or an HTTP response, is.
 */

/** Pasted text longer than this is cut (Slack allows 40,000 characters; evidence pastes are short). */
export const MAX_PASTE_CHARS = 20_000;

/** What a line of a log or an error response looks like. */
const LOG_LIKE = [
  /^\s*\d{4}-\d\d-\d\dT?\s?\d\d:\d\d/, // ISO timestamps
  /^\s*\(?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)?/i, // (request id) Execution log …
  /\b(?:START|END|REPORT) RequestId:/,
  /\b(?:ERROR|WARN|Exception|Traceback|Error:|errorMessage|errorType|Task timed out|Execution failed|Endpoint response|Method completed with status)\b/,
  /^\s*HTTP\/[12](?:\.\d)? [1-5]\d\d\b/,
  /^\s*[<>]?\s*(?:x-amzn-[a-z-]+|x-amz-apigw-id|content-type):/i,
  /^\s*\{\s*"(?:message|errorMessage|errorType|requestId|status)"\s*:/,
];

/** True for text that reads as pasted evidence. */
export function looksPasted(text: string): boolean {
  if (text.includes('```')) return true;
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const logLike = lines.filter((l) => LOG_LIKE.some((p) => p.test(l))).length;
  if (logLike >= 2) return true;
  // One line that is unmistakably a log line or an API Gateway error body.
  return lines.length === 1 && /^\s*(?:\(?[0-9a-f]{8}-[0-9a-f-]{27}\)?\s+)?(?:Execution failed due to|Lambda execution failed|Endpoint request timed out|Malformed Lambda proxy response|\{"message":\s*"Internal server error"\})/i.test(lines[0] ?? '');
}
