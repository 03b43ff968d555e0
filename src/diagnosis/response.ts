/**
 * What the client saw: the status, headers such as `x-amzn-ErrorType`, and the body
 * (`{"message": "Endpoint request timed out"}`). It is often all an on-call engineer has at first, pasted
 * from curl or a browser. Alone it is a weak signal (most 5xx bodies read "Internal server error"); with
 * logs or configuration it decides between causes that share a message.
 */
import { EvidenceError } from '../errors';

export interface ClientResponse {
  status?: number;
  /** Header names lower-cased; the last value wins. */
  headers: Record<string, string>;
  body?: string;
}

/** The response a signal can read: the body, the status, or one header (`header:x-amzn-errortype`). */
export type ResponseField = 'body' | 'status' | `header:${string}`;

/** The value of one field, or undefined when the response does not have it. */
export function responseField(response: ClientResponse, field: ResponseField): string | undefined {
  if (field === 'body') return response.body;
  if (field === 'status') return response.status === undefined ? undefined : String(response.status);
  return response.headers[field.slice('header:'.length).toLowerCase()];
}

const MAX_BODY = 4_096;

/** Parses the `response` of an evidence document: `{"status", "headers", "body"}`, each optional. */
export function parseResponseJson(value: unknown, where = 'response'): ClientResponse {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EvidenceError(`${where}: expected an object {"status": 504, "headers": {…}, "body": "…"}, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const doc = value as Record<string, unknown>;
  const out: ClientResponse = { headers: {} };
  if (doc.status !== undefined && doc.status !== null) {
    const n = typeof doc.status === 'number' ? doc.status : typeof doc.status === 'string' && /^\s*\d{3}\s*$/.test(doc.status) ? Number(doc.status) : NaN;
    if (!Number.isInteger(n) || n < 100 || n > 599) throw new EvidenceError(`${where}.status: expected an HTTP status such as 504, got ${JSON.stringify(doc.status)}`);
    out.status = n;
  }
  if (doc.headers !== undefined && doc.headers !== null) {
    if (typeof doc.headers !== 'object' || Array.isArray(doc.headers)) throw new EvidenceError(`${where}.headers: expected an object of header name to value`);
    for (const [name, v] of Object.entries(doc.headers as Record<string, unknown>)) {
      if (typeof v !== 'string' && typeof v !== 'number') throw new EvidenceError(`${where}.headers.${name}: expected a string`);
      out.headers[name.toLowerCase()] = String(v);
    }
  }
  if (doc.body !== undefined && doc.body !== null) out.body = clip(typeof doc.body === 'string' ? doc.body : JSON.stringify(doc.body));
  return out;
}

/**
 * Reads a response as people save or paste it: the JSON form above, the output of `curl -i` (status
 * line, headers, blank line, body) or of `curl -v` (`< ` before each received line), or a bare body.
 */
export function parseResponseText(text: string, where = 'response'): ClientResponse {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new EvidenceError(`${where}: empty; give the response as JSON {"status", "headers", "body"} or as curl -i prints it`);
  if (trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      return { headers: {}, body: clip(trimmed) };
    }
    const rec = doc as Record<string, unknown>;
    // A document with the response's own keys, else the body the client got.
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc) && ('status' in rec || 'headers' in rec || ('body' in rec && Object.keys(rec).length <= 3))) return parseResponseJson(doc, where);
    return { headers: {}, body: clip(trimmed) };
  }
  const lines = trimmed.split(/\r?\n/);
  const out: ClientResponse = { headers: {} };
  const body: string[] = [];
  let inHeaders = false;
  let seenStatus = false;
  for (const raw of lines) {
    // curl -v marks what it received with "< ", what it sent with "> " and its own notes with "* ".
    if (/^[>*{}] /.test(raw) || raw === '>' || raw === '*') continue;
    const line = raw.startsWith('< ') ? raw.slice(2) : raw === '<' ? '' : raw;
    const status = /^HTTP\/[\d.]+\s+(\d{3})\b/.exec(line);
    if (status) {
      // A later status line (after a 100 Continue or a redirect) is the one that counts.
      out.status = Number(status[1]);
      out.headers = {};
      body.length = 0;
      inHeaders = true;
      seenStatus = true;
      continue;
    }
    if (inHeaders) {
      if (line.trim() === '') {
        inHeaders = false;
        continue;
      }
      const h = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (h) out.headers[(h[1] ?? '').toLowerCase()] = h[2] ?? '';
      continue;
    }
    body.push(line);
  }
  const text_ = body.join('\n').trim();
  if (text_ !== '') out.body = clip(text_);
  if (!seenStatus && out.body === undefined) throw new EvidenceError(`${where}: neither a status line nor a body; give the response as curl -i prints it`);
  return out;
}

/** The API type the headers give away: HTTP APIs answer with `apigw-requestid`, REST APIs with `x-amz-apigw-id`. */
export function apiTypeOfResponse(response: ClientResponse): 'REST' | 'HTTP' | undefined {
  if (response.headers['apigw-requestid'] !== undefined) return 'HTTP';
  if (response.headers['x-amz-apigw-id'] !== undefined || response.headers['x-amzn-requestid'] !== undefined) return 'REST';
  return undefined;
}

/** One line for the evidence: "client got 504 {"message": "Endpoint request timed out"} (x-amzn-ErrorType …)". */
export function describeResponse(response: ClientResponse): string {
  const type = response.headers['x-amzn-errortype'];
  const parts = [`client got ${response.status ?? 'a response'}`, response.body ? oneLine(response.body) : '', type ? `(x-amzn-ErrorType: ${type})` : ''];
  return parts.filter((p) => p !== '').join(' ');
}

/** The request ids the client can quote to find its request in the logs. */
export function responseRequestIds(response: ClientResponse): string[] {
  return [response.headers['x-amzn-requestid'], response.headers['apigw-requestid'], response.headers['x-amz-apigw-id']].filter((v): v is string => v !== undefined && /^[A-Za-z0-9=_-]{8,64}$/.test(v));
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

function clip(text: string): string {
  return text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text;
}
