/** The `diagnose` report's headline names the API as far as the evidence knows it, brackets closed. */
import { parseEvidence } from '../../../src/diagnosis/evidence';
import { renderTextReport } from '../../../src/render/text-report';
import { diagnoseDoc } from '../../helpers/knowledge';

it.each([
  ['a name and an id', { apiName: 'orders-api', apiId: 'a1b2c3d4e5' }, '502s on orders-api (REST a1b2c3d4e5), stage prod'],
  ['a name without an id', { apiName: 'orders-api' }, '502s on orders-api (REST API), stage prod'],
  ['an id without a name', { apiId: 'a1b2c3d4e5' }, '502s on REST a1b2c3d4e5, stage prod'],
  ['neither', {}, '502s on REST API, stage prod'],
])('%s', (_label, target, start) => {
  const doc = { version: 1, status: 502, apiType: 'REST', target: { ...target, stage: 'prod' } };
  const first = renderTextReport(diagnoseDoc(doc), parseEvidence(doc)).split('\n')[0];
  expect(first?.startsWith(start)).toBe(true);
});
