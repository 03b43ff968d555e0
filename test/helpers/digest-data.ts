/** Hand-built digests for the renderers' tests: rows sorted and totalled as the collector does. */
import type { DigestData, DigestRow } from '../../src/collect/digest-data';

export const DIGEST_WINDOW = { from: '2025-11-24T00:00:00.000Z', to: '2025-11-25T00:00:00.000Z' };
export const DIGEST_BEFORE = { from: '2025-11-23T00:00:00.000Z', to: '2025-11-24T00:00:00.000Z' };

/** A digest of these rows, most 5xx first, with the totals they add up to. */
export function digestOf(rows: DigestRow[], over: Partial<DigestData> = {}): DigestData {
  const sorted = [...rows].sort((a, b) => b.count5xx - a.count5xx || b.errorRate - a.errorRate || a.apiName.localeCompare(b.apiName));
  const failing = sorted.filter((r) => r.count5xx > 0);
  return {
    window: DIGEST_WINDOW,
    before: DIGEST_BEFORE,
    rows: sorted,
    unreadable: [],
    apiCount: new Set(sorted.map((r) => r.apiId)).size,
    totals: {
      count5xx: failing.reduce((n, r) => n + r.count5xx, 0),
      count: sorted.reduce((n, r) => n + r.count, 0),
      before5xx: sorted.reduce((n, r) => n + r.before5xx, 0),
      apisWith5xx: new Set(failing.map((r) => r.apiId)).size,
    },
    ...over,
  };
}
