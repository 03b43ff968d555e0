/** `apigw-doctor digest` through the built CLI on the sandbox: the same table as the Slack digest. */
import { cli } from '../helpers/cli';

it('prints the headline, the worst stages with their likely cause, and how many more', () => {
  const r = cli(['digest', '--sandbox']);
  expect(r.status).toBe(0);
  const lines = r.stdout.split('\n');
  expect(lines[0]).toMatch(/^5xx in the last 24h: [\d,]+ across \d+ of \d+ APIs/);
  expect(r.stdout).toMatch(/API \/ stage\s+5xx\s+rate\s+Δ\s+likely cause/);
  expect(r.stdout).toMatch(/carts-api prod\s+[\d,]+\s+[\d.<]+%/);
  expect(r.stdout).toMatch(/mostly /);
  expect(r.stdout).toMatch(/…and \d+ more \(--all lists every stage\)/);
});

it('--all lists every stage with 5xx; --json prints the data', () => {
  const all = cli(['digest', '--sandbox', '--all']);
  expect(all.stdout).toMatch(/legacy-http/);
  expect(all.stdout).not.toMatch(/…and \d+ more/);
  const json = JSON.parse(cli(['digest', '6h', '--sandbox', '--json']).stdout) as { rows: { apiName: string; count5xx: number }[]; totals: { count5xx: number } };
  expect(json.rows.length).toBeGreaterThan(10);
  expect(json.totals.count5xx).toBe(json.rows.reduce((n, r) => n + r.count5xx, 0));
});

it('refuses what it cannot read, with what to type', () => {
  const r = cli(['digest', 'yesterday', '--sandbox']);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/digest takes no arguments but a window/);
});
