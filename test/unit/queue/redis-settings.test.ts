/**
 * What production needs of Redis, read from INFO text as redis-server 7 writes it (CRLF, `# Section`
 * headers): AOF on and maxmemory-policy noeviction; a setting INFO does not show is reported as unread.
 */
import { describeProblem, parseInfo, redisSettingProblems } from '../../../src/queue/redis-settings';

const persistence = (aof: string): string => `# Persistence\r\nloading:0\r\nrdb_changes_since_last_save:0\r\naof_enabled:${aof}\r\naof_rewrite_in_progress:0\r\n`;
const memory = (policy: string): string => `# Memory\r\nused_memory:1034560\r\nmaxmemory:0\r\nmaxmemory_policy:${policy}\r\n`;

it('parses INFO fields, skipping headers and blank lines, keeping colons inside values', () => {
  const fields = parseInfo('# Server\r\nredis_version:7.0.15\r\n\r\nexecutable:/usr/bin/redis-server\r\nconfig_file:C:\\redis.conf\n');
  expect(fields.get('redis_version')).toBe('7.0.15');
  expect(fields.get('config_file')).toBe('C:\\redis.conf');
  expect(fields.has('# Server')).toBe(false);
});

it('finds nothing missing with AOF on and noeviction', () => {
  expect(redisSettingProblems({ persistence: persistence('1'), memory: memory('noeviction') })).toEqual([]);
});

it('reports AOF off and an evicting policy, each with its fix', () => {
  const problems = redisSettingProblems({ persistence: persistence('0'), memory: memory('allkeys-lru') });
  expect(problems.map((p) => [p.setting, p.found])).toEqual([
    ['appendonly', 'aof_enabled:0'],
    ['maxmemory-policy', 'maxmemory_policy:allkeys-lru'],
  ]);
  const [aof, eviction] = problems.map(describeProblem);
  expect(aof).toMatch(/^Redis persistence \(AOF\) is off: a Redis restart loses queued investigations/);
  expect(aof).toContain('`appendonly yes`');
  expect(aof).toContain('`appendfsync everysec`');
  expect(aof).toContain('redis-cli CONFIG SET appendonly yes');
  expect(aof).toMatch(/ElastiCache/);
  expect(eviction).toMatch(/maxmemory-policy allkeys-lru\): BullMQ requires noeviction/);
  expect(eviction).toContain('redis-cli CONFIG SET maxmemory-policy noeviction');
  expect(eviction).toMatch(/ElastiCache.*parameter group/);
});

it('says a setting could not be read, and why, instead of failing', () => {
  const failed = redisSettingProblems({ error: 'ERR unknown command `INFO`' });
  expect(failed.map((p) => [p.setting, p.found])).toEqual([
    ['appendonly', undefined],
    ['maxmemory-policy', undefined],
  ]);
  expect(describeProblem(failed[0]!)).toMatch(/^could not tell whether Redis persistence \(AOF\) is on: INFO persistence failed \(ERR unknown command `INFO`\); check by hand/);
  const missing = redisSettingProblems({ persistence: '# Persistence\r\nloading:0\r\n', memory: memory('noeviction') });
  expect(missing).toHaveLength(1);
  expect(describeProblem(missing[0]!)).toMatch(/INFO persistence has no aof_enabled field.*Fix: in redis.conf set `appendonly yes`/);
  // Only the section that failed is said to have failed.
  const half = redisSettingProblems({ persistence: persistence('1'), error: 'Connection is closed.' });
  expect(half.map((p) => p.setting)).toEqual(['maxmemory-policy']);
  expect(describeProblem(half[0]!)).toMatch(/^could not tell Redis' eviction policy: INFO memory failed \(Connection is closed\.\)/);
});
