/**
 * Slack dates every signed request (`X-Slack-Request-Timestamp`, seconds) and signs the date with the
 * body, so a captured request can be replayed only while its date is accepted. Bolt refuses requests
 * dated more than five minutes in the past but serves those dated ahead of now, however far; this
 * refuses both directions.
 */

/** How far a request's date may be from now, either way (Slack's own rule for verifying requests). */
export const MAX_REQUEST_SKEW_S = 5 * 60;

/**
 * Why a request dated `header` may not be served at `nowMs`, or undefined when its date is near
 * enough. A missing or malformed date is left to the signature check, which refuses it.
 */
export function requestTimeProblem(header: string | readonly string[] | undefined, nowMs: number): string | undefined {
  const text = typeof header === 'string' ? header : undefined;
  if (text === undefined || !/^\d{1,12}$/.test(text.trim())) return undefined;
  const skewS = Number(text.trim()) - Math.floor(nowMs / 1000);
  if (skewS > MAX_REQUEST_SKEW_S) return `dated ${describeSkew(skewS)} ahead of now (at most ${MAX_REQUEST_SKEW_S / 60} minutes either way)`;
  if (-skewS > MAX_REQUEST_SKEW_S) return `dated ${describeSkew(-skewS)} before now (at most ${MAX_REQUEST_SKEW_S / 60} minutes either way)`;
  return undefined;
}

function describeSkew(seconds: number): string {
  if (seconds >= 86_400) return `${Math.floor(seconds / 86_400)} d`;
  if (seconds >= 3_600) return `${Math.floor(seconds / 3_600)} h`;
  return `${Math.floor(seconds / 60)} min`;
}
