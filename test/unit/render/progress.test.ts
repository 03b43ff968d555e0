/** Progress on stderr: plain lines when captured, a live list with a spinner on a terminal. */
import { checkedLine, createProgress, investigatingLine } from '../../../src/render/progress';

const TARGET = { apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod', region: 'us-east-1' };

test('the first line and a source line', () => {
  expect(investigatingLine(502, TARGET, 'REST', 'last 1h')).toBe('Investigating 502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h…');
  expect(investigatingLine('5xx', { apiId: 'l3g4c5y6h7', apiName: 'legacy-http', stage: '$default', region: 'us-east-1' }, 'HTTP', 'since 09:00 UTC')).toBe(
    'Investigating 5xx errors on legacy-http (HTTP l3g4c5y6h7, stage $default, us-east-1), since 09:00 UTC…',
  );
  expect(checkedLine({ source: 'config', ok: true, detail: '41 methods, 40 integrated, stage prod' })).toBe('… config ✓ 41 methods, 40 integrated, stage prod');
  expect(checkedLine({ source: 'access-logs', ok: false, detail: 'not configured on stage prod' })).toBe('… access-logs ✗ not configured on stage prod');
  const long = checkedLine({ source: 'lambda-policy', ok: true, detail: 'x'.repeat(500) });
  expect(long.length).toBeLessThan(200);
  expect(long.endsWith('…')).toBe(true);
});

test('plain: one line per event, nothing to clear', () => {
  let out = '';
  const p = createProgress((t) => (out += t), { tty: false });
  p.target('Investigating 502s on orders-api…');
  p.source({ source: 'metrics', ok: true, detail: '1,204 5xx of 48,210 requests' });
  p.stop();
  expect(out).toBe('Investigating 502s on orders-api…\n… metrics ✓ 1,204 5xx of 48,210 requests\n');
});

describe('live', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('a spinner line redrawn in place, finished sources printed above it, cleared at the end', () => {
    let out = '';
    let clock = 0;
    const p = createProgress((t) => (out += t), { tty: true, color: false, startLabel: 'finding orders-api in us-east-1', intervalMs: 100, now: () => clock });
    expect(out).toBe('\r\x1b[2K⠋ finding orders-api in us-east-1… 0.0 s');
    clock = 250;
    jest.advanceTimersByTime(100);
    expect(out.endsWith('\r\x1b[2K⠙ finding orders-api in us-east-1… 0.3 s')).toBe(true);
    out = '';
    p.target('Investigating 502s on orders-api…');
    p.source({ source: 'execution-logs', ok: false, detail: 'execution logging is OFF on stage prod' });
    expect(out).toBe(
      '\r\x1b[2KInvestigating 502s on orders-api…\n' +
        '\r\x1b[2K⠙ reading AWS… 0.3 s' +
        '\r\x1b[2K  ✗ execution logs  execution logging is OFF on stage prod\n' +
        '\r\x1b[2K⠙ reading AWS… 0.3 s, 1 source read',
    );
    out = '';
    p.stop();
    p.stop();
    jest.advanceTimersByTime(1000);
    expect(out).toBe('\r\x1b[2K');
  });

  test('colour marks and dims on a colour terminal', () => {
    let out = '';
    const p = createProgress((t) => (out += t), { tty: true, color: true, now: () => 0 });
    p.source({ source: 'config', ok: true, detail: '41 methods' });
    p.stop();
    expect(out).toContain('\x1b[32m✓\x1b[39m config');
    expect(out).toContain('\x1b[2m41 methods\x1b[22m');
  });
});
