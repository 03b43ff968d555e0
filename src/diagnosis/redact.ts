/**
 * Masks secrets inside log excerpts before they leave the process (DESIGN.md §4): Authorization
 * headers, API keys, JWTs, cookies, AWS access keys and session tokens, in the shapes API Gateway's
 * execution logs ("Method request headers: {Authorization=Bearer …, x-api-key=…}"), access logs
 * (JSON) and Lambda logs actually write them.
 */
const MASK = '****';

const RULES: readonly [RegExp, string][] = [
  // Header maps in execution logs ({Authorization=Bearer x, Cookie=a=b; c=d}) and "Authorization: x" lines.
  [/\b(authorization|proxy-authorization)(["']?\s*[=:]\s*["']?)((?:bearer|basic|digest|aws4-hmac-sha256)\s+)?[^,}"'\n\r]+/gi, `$1$2$3${MASK}`],
  [/\b(x-api-key|x-amz-security-token|x-amz-session-token|api[_-]?key|access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|password|passwd|secret)(["']?\s*[=:]\s*["']?)[^,}&"'\s]+/gi, `$1$2${MASK}`],
  [/\b(cookie|set-cookie)(["']?\s*[=:]\s*["']?)[^,}"'\n\r]+/gi, `$1$2${MASK}`],
  // JSON Web Tokens anywhere (three base64url parts, the first a JSON header).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, `eyJ${MASK}`],
  // AWS access key ids and secret keys.
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, `$1${MASK}`],
  [/\b(aws_secret_access_key|secretAccessKey|aws_session_token|sessionToken)(["']?\s*[=:]\s*["']?)[^,}"'\s]+/gi, `$1$2${MASK}`],
  // SigV4 signatures in "Endpoint request headers" (the Credential part is caught by the key rules).
  [/\b(Signature=)[0-9a-f]{64}\b/g, `$1${MASK}`],
  // Slack tokens, should a log line carry one.
  [/\bxox[abposr]-[A-Za-z0-9-]{8,}/g, `xox${MASK}`],
  [/\bxapp-[A-Za-z0-9-]{8,}/g, `xapp-${MASK}`],
];

/** Returns `text` with every secret it recognises replaced by `****`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}
