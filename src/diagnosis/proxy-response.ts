/**
 * What exactly is wrong with a Lambda proxy response. The execution log quotes what the function
 * returned ("Endpoint response body before transformations: {…}"); this reads it against the format the
 * API type expects and names the field: "`body` is an object", "`headers.Access-Control-Allow-Credentials`
 * is a boolean", "`cookies` is not allowed in a REST proxy response".
 *
 * - REST, HTTP API payload 1.0 and WebSocket: an object with `statusCode` (a number), optional `headers`
 *   (string values), `multiValueHeaders` (arrays of strings), `body` (a string) and `isBase64Encoded` (a
 *   boolean), and nothing else.
 * - HTTP API payload 2.0 also allows `cookies` (an array of strings) but not `multiValueHeaders`; without
 *   `statusCode` the whole value is taken as a JSON body with status 200 (not an error), so only an object
 *   with `statusCode` is held to the format.
 *
 * Execution log events are cut at 1 KB, so a body may end mid-way: its top-level keys are still read.
 */
import type { ApiType } from './evidence';

export interface ShapeProblem {
  /** The field at fault, `body` or `headers.X-Count`; absent when the whole value is. */
  field?: string;
  /** "is an object", "is missing", "is not allowed in a REST proxy response". */
  problem: string;
}

/** The phrase before what the function returned, in REST and WebSocket execution logs. */
export const BODY_BEFORE = 'Endpoint response body before transformations: ';

type Format = 'REST' | 'HTTP-1.0' | 'HTTP-2.0' | 'WEBSOCKET';

const ALLOWED: Record<Format, readonly string[]> = {
  REST: ['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded'],
  'HTTP-1.0': ['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded'],
  'HTTP-2.0': ['statusCode', 'headers', 'body', 'isBase64Encoded', 'cookies'],
  WEBSOCKET: ['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded'],
};

const FORMAT_NAME: Record<Format, string> = {
  REST: 'a REST proxy response',
  'HTTP-1.0': 'an HTTP API response (payload format 1.0)',
  'HTTP-2.0': 'an HTTP API response (payload format 2.0)',
  WEBSOCKET: 'a WebSocket proxy response',
};

function formatOf(apiType: ApiType, payloadFormatVersion: string | undefined): Format {
  if (apiType === 'HTTP') return payloadFormatVersion === '1.0' ? 'HTTP-1.0' : 'HTTP-2.0';
  return apiType;
}

/** The text after the phrase, when a line quotes what the function returned. */
export function returnedValueOf(line: string): string | undefined {
  const at = line.indexOf(BODY_BEFORE);
  return at < 0 ? undefined : line.slice(at + BODY_BEFORE.length).trim();
}

/**
 * The problems with a returned value, first the one that decides; empty when it is a valid response (or
 * a Lambda error, `{"errorMessage", "errorType"}`, which is a function error and not a shape problem).
 */
export function shapeProblems(returned: string, apiType: ApiType, payloadFormatVersion?: string): ShapeProblem[] {
  const format = formatOf(apiType, payloadFormatVersion);
  const text = returned.trim();
  if (text === '' ) return [{ problem: 'is empty: the function returned nothing' }];
  if (text === 'null') return [{ problem: `is null: the function returned nothing it could send, not ${FORMAT_NAME[format]}` }];
  // The Lambda service's own answer (an XML error for a call it refused), not the function's.
  if (text.startsWith('<')) return [];
  let value: unknown;
  let cut = false;
  try {
    value = JSON.parse(text);
  } catch {
    if (!text.startsWith('{')) return format === 'HTTP-2.0' ? [] : [{ problem: `is not JSON (${describeText(text)}): the function must return ${FORMAT_NAME[format]} object` }];
    // Cut at 1 KB: read what the top level shows.
    value = topLevelOf(text);
    cut = true;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    if (format === 'HTTP-2.0') return [];
    return [{ problem: `is ${kindOf(value)}, not ${FORMAT_NAME[format]} object with statusCode and body` }];
  }
  const obj = value as Record<string, unknown>;
  // A function error ({"errorMessage", "errorType"}) or the Lambda service's ({"Message", "Type": "User"}).
  if ('errorMessage' in obj || 'errorType' in obj || ('Message' in obj && 'Type' in obj) || ('message' in obj && Object.keys(obj).length === 1)) return [];
  if (format === 'HTTP-2.0' && !('statusCode' in obj)) return [];
  const problems: ShapeProblem[] = [];
  const add = (field: string | undefined, problem: string): void => {
    problems.push(field === undefined ? { problem } : { field, problem });
  };
  if (!('statusCode' in obj)) add('statusCode', 'is missing');
  else if (typeof obj.statusCode !== 'number' && obj.statusCode !== CUT) {
    const v = obj.statusCode;
    add('statusCode', typeof v === 'string' && /^\s*\d{3}\s*$/.test(v) ? `is the string "${v}", not a number` : `is ${kindOf(v)}, not a number`);
  }
  if ('body' in obj && obj.body !== null && typeof obj.body !== 'string' && obj.body !== CUT) add('body', `is ${kindOf(obj.body)}; it must be a string (JSON.stringify it)`);
  if ('headers' in obj && obj.headers !== null && obj.headers !== CUT) {
    if (typeof obj.headers !== 'object' || Array.isArray(obj.headers)) add('headers', `is ${kindOf(obj.headers)}, not an object of strings`);
    else for (const [k, v] of Object.entries(obj.headers as Record<string, unknown>)) if (typeof v !== 'string' && v !== CUT) add(`headers.${k}`, `is ${kindOf(v)}; header values must be strings`);
  }
  if ('multiValueHeaders' in obj && obj.multiValueHeaders !== null && obj.multiValueHeaders !== CUT) {
    if (format === 'HTTP-2.0') add('multiValueHeaders', `is not part of ${FORMAT_NAME[format]} (use headers with comma-separated values)`);
    else if (typeof obj.multiValueHeaders !== 'object' || Array.isArray(obj.multiValueHeaders)) add('multiValueHeaders', `is ${kindOf(obj.multiValueHeaders)}, not an object of string arrays`);
    else
      for (const [k, v] of Object.entries(obj.multiValueHeaders as Record<string, unknown>)) {
        if (v === CUT) continue;
        if (!Array.isArray(v)) add(`multiValueHeaders.${k}`, `is ${kindOf(v)}; it must be an array of strings`);
        else if (v.some((x) => typeof x !== 'string')) add(`multiValueHeaders.${k}`, 'holds a value that is not a string');
      }
  }
  if ('isBase64Encoded' in obj && obj.isBase64Encoded !== null && typeof obj.isBase64Encoded !== 'boolean' && obj.isBase64Encoded !== CUT) add('isBase64Encoded', `is ${kindOf(obj.isBase64Encoded)}, not true or false`);
  if ('cookies' in obj && format === 'HTTP-2.0' && obj.cookies !== CUT && (!Array.isArray(obj.cookies) || obj.cookies.some((c) => typeof c !== 'string'))) add('cookies', 'must be an array of strings');
  for (const key of Object.keys(obj)) {
    if (!ALLOWED[format].includes(key)) add(key, key === 'cookies' ? `is not allowed in ${FORMAT_NAME[format]} (set a Set-Cookie header instead)` : `is not allowed in ${FORMAT_NAME[format]}: only ${ALLOWED[format].join(', ')} may be at the top level`);
  }
  if (cut && problems.length === 0) return [];
  return problems;
}

/** One line for the evidence: "`body` is an object; it must be a string (JSON.stringify it)". */
export function describeProblem(p: ShapeProblem): string {
  return p.field === undefined ? `the returned value ${p.problem}` : `\`${p.field}\` ${p.problem}`;
}

/** A value the log cut off: its type is unknown. */
const CUT = Symbol('cut');

/**
 * The top-level keys of a JSON object cut short, with each value that is whole (a value the cut reached
 * is {@link CUT}). Nested objects are skipped over by bracket depth, strings by their quotes.
 */
function topLevelOf(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = 1;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  };
  const str = (): string | null => {
    if (text[i] !== '"') return null;
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    if (j >= text.length) return null;
    const raw = text.slice(i, j + 1);
    i = j + 1;
    try {
      return JSON.parse(raw) as string;
    } catch {
      return null;
    }
  };
  for (;;) {
    ws();
    const key = str();
    if (key === null) return out;
    ws();
    if (text[i] !== ':') return out;
    i++;
    ws();
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        if (depth === 0) break;
        depth--;
      } else if (ch === ',' && depth === 0) break;
    }
    if (i >= text.length) {
      // Cut inside this value: its first character still says what kind it is.
      const lead = text[start];
      out[key] = lead === '{' ? {} : lead === '[' ? [] : lead === '"' ? '' : CUT;
      return out;
    }
    try {
      out[key] = JSON.parse(text.slice(start, i));
    } catch {
      out[key] = CUT;
    }
    if (text[i] === '}') return out;
    i++;
  }
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number' || typeof v === 'boolean') return `a ${typeof v} (${String(v)})`;
  if (typeof v === 'string') return 'a string';
  return typeof v;
}

function describeText(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `"${flat.slice(0, 39)}…"` : `"${flat}"`;
}
