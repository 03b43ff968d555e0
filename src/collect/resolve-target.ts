/**
 * Finds the API a user means from what they typed: an id, a name, an invoke URL or a custom domain
 * (through its base-path / API mappings), across REST (v1) and HTTP/WebSocket (v2) APIs. What the user
 * typed is only ever compared client-side; it never reaches a query.
 */
import { ErrorCode, TargetError } from '../errors';
import { isNotFound } from './call-aws';
import type { ApiGatewayPort, ApiSummary, DomainMapping } from './ports';

/** REST and v2 API ids: ten lower-case letters and digits. */
export const API_ID = /^[a-z0-9]{10}$/;
/** Stage names (the Stage model: alphanumerics, `-`, `_`, ≤ 128) plus HTTP APIs' `$default`. */
export const STAGE_NAME = /^(?:[A-Za-z0-9_-]{1,128}|\$default)$/;
const INVOKE_HOST = /^([a-z0-9]{10})\.execute-api\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/;
const MAX_INPUT = 2048;
/** Candidates offered when nothing matches. */
const MAX_CANDIDATES = 5;

/** What the user typed, classified. */
export type ApiRef =
  | { kind: 'id-or-name'; text: string }
  | { kind: 'name'; text: string }
  | { kind: 'invoke-url'; apiId: string; region: string; path: string[] }
  | { kind: 'domain'; domain: string; path: string[]; /** Typed without scheme or path: could also be a dotted API name. */ bare?: string };

export interface ResolvedApi {
  api: ApiSummary;
  /** A stage the reference itself names (the invoke URL's first path segment, a domain's mapped stage). */
  stageHint?: string;
  /** The Region the reference names (an invoke URL), when it does. */
  region?: string;
}

/**
 * Why text that reads as a URL cannot name an API, or undefined: a user name or password
 * (`orders-x.y:z@i7n4v5c2e9.execute-api…` is the host after the `@`, whatever comes before it), a port,
 * or a scheme other than http(s). Checked wherever an API reference is read (the Slack parser too).
 */
export function apiRefProblem(input: string): string | undefined {
  const text = input.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1];
  if (scheme !== undefined && !/^https?$/i.test(scheme)) return `"${clip(text)}" is not an API: an invoke URL starts with https://, not ${scheme}://`;
  const url = toUrl(text);
  if (!url) return undefined;
  // The authority as typed (WHATWG URL drops a default port such as :443 silently).
  const authority = text.replace(/^https?:\/\//i, '').split(/[/?#]/)[0] ?? '';
  if (url.username !== '' || url.password !== '' || authority.includes('@')) {
    return `"${clip(text)}" is not an API: an API reference carries no user name or password (nothing before an @); give the invoke URL as https://<api-id>.execute-api.<region>.amazonaws.com/<stage>, or the API's name or id`;
  }
  if (url.port !== '' || authority.includes(':')) return `"${clip(text)}" is not an API: an API reference carries no port; leave out the :<port>`;
  return undefined;
}

/** Classifies the text a user typed for an API. Throws a TargetError for text that cannot be an API. */
export function parseApiRef(input: string): ApiRef {
  const text = input.trim();
  if (text === '' || text.length > MAX_INPUT || /\s/.test(text)) {
    throw new TargetError(ErrorCode.UnknownTarget, `"${clip(text)}" is not an API: give its name, its id (10 characters, such as a1b2c3d4e5), its invoke URL or its custom domain`);
  }
  const problem = apiRefProblem(text);
  if (problem !== undefined) throw new TargetError(ErrorCode.UnknownTarget, problem);
  const url = toUrl(text);
  if (url) {
    const host = url.hostname.toLowerCase();
    const path = url.pathname.split('/').filter((p) => p !== '').map((p) => safeDecode(p));
    const m = INVOKE_HOST.exec(host);
    if (m?.[1] && m[2]) return { kind: 'invoke-url', apiId: m[1], region: m[2], path };
    const bare = !/^https?:\/\//i.test(text) && path.length === 0 && !text.includes('/') ? text : undefined;
    return { kind: 'domain', domain: host, path, ...(bare ? { bare } : {}) };
  }
  if (API_ID.test(text)) return { kind: 'id-or-name', text };
  return { kind: 'name', text };
}

/**
 * Resolves a reference against both API families. Unknown or ambiguous references throw a TargetError
 * whose message lists the closest candidates and says what to type.
 */
export async function resolveApi(ref: ApiRef, rest: ApiGatewayPort, v2: ApiGatewayPort, region: string): Promise<ResolvedApi> {
  switch (ref.kind) {
    case 'invoke-url': {
      const api = await byId(ref.apiId, rest, v2);
      if (!api) throw new TargetError(ErrorCode.UnknownTarget, `no API with id ${ref.apiId} in ${ref.region} (from the invoke URL); check the account and Region`);
      const hint = ref.path[0];
      return { api, region: ref.region, ...(hint && STAGE_NAME.test(hint) ? { stageHint: hint } : {}) };
    }
    case 'domain':
      return byDomain(ref, rest, v2, region);
    case 'id-or-name': {
      const api = await byId(ref.text, rest, v2);
      if (api) return { api };
      return byName(ref.text, rest, v2, region);
    }
    case 'name':
      return byName(ref.text, rest, v2, region);
  }
}

async function byId(apiId: string, rest: ApiGatewayPort, v2: ApiGatewayPort): Promise<ApiSummary | null> {
  // Both families share the id space; ask both at once.
  const [a, b] = await Promise.all([rest.getApi(apiId), v2.getApi(apiId)]);
  return a ?? b;
}

async function byName(name: string, rest: ApiGatewayPort, v2: ApiGatewayPort, region: string): Promise<ResolvedApi> {
  const [restApis, v2Apis] = await Promise.all([rest.listApis(), v2.listApis()]);
  const all = [...restApis, ...v2Apis];
  const exact = all.filter((a) => a.name === name);
  const matches = exact.length > 0 ? exact : all.filter((a) => a.name.toLowerCase() === name.toLowerCase());
  const [only, ...others] = matches;
  if (only && others.length === 0) return { api: only };
  if (only) {
    throw new TargetError(
      ErrorCode.AmbiguousTarget,
      `"${clip(name)}" names ${matches.length} APIs in ${region}: ${matches.map(describeApi).join(', ')}; give the id instead`,
      matches.map((a) => a.apiId),
    );
  }
  const closest = closestNames(name, all);
  const hint = closest.length > 0 ? `; closest: ${closest.map(describeApi).join(', ')}` : all.length === 0 ? ' (there are no APIs at all: check the account and Region)' : '';
  throw new TargetError(ErrorCode.UnknownTarget, `no API named "${clip(name)}" in ${region}${hint}`, closest.map((a) => a.name));
}

async function byDomain(ref: Extract<ApiRef, { kind: 'domain' }>, rest: ApiGatewayPort, v2: ApiGatewayPort, region: string): Promise<ResolvedApi> {
  const [a, b] = await Promise.all([rest.getDomainMappings(ref.domain).catch(notFoundAsNull), v2.getDomainMappings(ref.domain).catch(notFoundAsNull)]);
  if (a === null && b === null) {
    // "orders.v2" looks like a host name but may be what the team named the API.
    if (ref.bare !== undefined) return byName(ref.bare, rest, v2, region);
    throw new TargetError(ErrorCode.UnknownTarget, `${ref.domain} is not a custom domain name in ${region} and not an execute-api URL; give the API's name or id`);
  }
  // Each mapping appears in both lists when the domain has both kinds; keep one per base path.
  const mappings = new Map<string, DomainMapping>();
  // The root mapping may come as "(none)", as the REST API writes it.
  for (const m of [...(b ?? []), ...(a ?? [])]) mappings.set(m.basePath === '(none)' ? '' : m.basePath, { ...m, basePath: m.basePath === '(none)' ? '' : m.basePath });
  const mapping = longestPrefix([...mappings.values()], ref.path);
  if (!mapping) {
    const paths = [...mappings.keys()].map((p) => `/${p}`);
    throw new TargetError(ErrorCode.UnknownTarget, `no API is mapped at ${ref.domain}/${ref.path.join('/')}; its mappings are ${paths.join(', ') || 'none'}`, paths);
  }
  const api = await byId(mapping.apiId, rest, v2);
  if (!api) throw new TargetError(ErrorCode.UnknownTarget, `${ref.domain} maps /${mapping.basePath} to API ${mapping.apiId}, which does not exist in ${region}`);
  return { api, ...(mapping.stage ? { stageHint: mapping.stage } : {}) };
}

/** The mapping whose base path is the longest prefix of the request path; the root mapping matches everything. */
function longestPrefix(mappings: readonly DomainMapping[], path: readonly string[]): DomainMapping | undefined {
  let best: DomainMapping | undefined;
  let bestLength = -1;
  for (const m of mappings) {
    const segments = m.basePath.split('/').filter((s) => s !== '');
    if (segments.length <= bestLength) continue;
    if (segments.every((s, i) => path[i] === s)) {
      best = m;
      bestLength = segments.length;
    }
  }
  return best;
}

function notFoundAsNull(e: unknown): null {
  if (isNotFound(e)) return null;
  throw e;
}

/** Names closest to what was typed: containing it, or within a small edit distance. */
function closestNames(name: string, apis: readonly ApiSummary[]): ApiSummary[] {
  const needle = name.toLowerCase();
  return apis
    .map((api) => {
      const candidate = api.name.toLowerCase();
      const contains = candidate.includes(needle) || needle.includes(candidate);
      return { api, score: contains ? 0 : editDistance(needle, candidate) };
    })
    .filter((c) => c.score <= Math.max(2, Math.floor(needle.length / 3)))
    .sort((x, y) => x.score - y.score || x.api.name.localeCompare(y.api.name))
    .slice(0, MAX_CANDIDATES)
    .map((c) => c.api);
}

/** Levenshtein distance, bounded to short names (API names are at most 1,024 characters; typing is shorter). */
export function editDistance(a: string, b: string): number {
  if (a.length > 200 || b.length > 200) return Math.abs(a.length - b.length) + 100;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

function describeApi(api: ApiSummary): string {
  return `${api.name} (${api.apiId}, ${api.apiType})`;
}

function toUrl(text: string): URL | null {
  const withScheme = /^https?:\/\//i.test(text) ? text : /^[a-z0-9-]+(\.[a-z0-9-]+)+(?:[/:]|$)/i.test(text) ? `https://${text}` : null;
  if (!withScheme) return null;
  try {
    return new URL(withScheme);
  } catch {
    return null;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
