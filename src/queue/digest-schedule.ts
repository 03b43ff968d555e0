/**
 * The daily digest's schedule: where and when it goes, kept in Redis so that `/apigw digest here`,
 * `… off`, `… at 08:30 Europe/Berlin` and `… weekdays` survive restarts and win over the environment
 * (`DIGEST_CHANNEL`, `DIGEST_CRON`, `DIGEST_TZ`), which stays the default. The schedule itself is one
 * BullMQ job scheduler (`daily-digest`) on the jobs queue: upserting it is idempotent, so every worker
 * may apply it at start and the web process when a setting changes, and BullMQ makes one job per due time.
 *
 * Keys: `<prefix>:digest:settings` (hash: channel, cron, tz, enabled, updatedBy, updatedAt).
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DigestJob } from './contracts';

/** The job scheduler's id: one digest schedule per deployment (per `QUEUE_PREFIX`). */
export const DIGEST_SCHEDULER_ID = 'daily-digest';
/** The BullMQ job name of a digest. */
export const DIGEST_JOB_NAME = 'digest';

/** The environment's digest settings (src/config.ts `DigestConfig`), restated: the queue reads no config. */
export interface DigestDefaults {
  channel?: string;
  cron: string;
  tz: string;
}

export interface DigestSettings {
  /** The channel it goes to; none: no digest until one is set. */
  channel?: string;
  /** Cron pattern (5 or 6 fields) and its IANA time zone. */
  cron: string;
  tz: string;
  /** False after `/apigw digest off`. */
  enabled: boolean;
  /** Where the settings come from: the environment, or a change made in Slack (who, when). */
  source: 'environment' | 'slack';
  updatedBy?: string;
  updatedAt?: string;
}

/** A change asked for in Slack. */
export interface DigestChange {
  channel?: string;
  enabled?: boolean;
  /** `at 08:30`: the time of day (the cron's minute and hour). */
  time?: { hour: number; minute: number };
  tz?: string;
  /** `weekdays` (Monday to Friday) or `daily`. */
  days?: 'weekdays' | 'daily';
}

/** The options of every digest job: retried a few times (an AWS or Slack hiccup), kept a while for inspection. */
export const DIGEST_JOB_OPTIONS = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 7 * 24 * 3_600, count: 100 },
  removeOnFail: { age: 14 * 24 * 3_600 },
} as const;

export const digestSettingsKey = (prefix: string): string => `${prefix}:digest:settings`;

/** The cron with its time of day or its days changed; other fields kept. */
export function changeCron(cron: string, change: Pick<DigestChange, 'time' | 'days'>): string {
  const fields = cron.trim().split(/\s+/);
  // A 6-field pattern starts with seconds.
  const offset = fields.length === 6 ? 1 : 0;
  if (change.time) {
    if (offset === 1) fields[0] = '0';
    fields[offset] = String(change.time.minute);
    fields[offset + 1] = String(change.time.hour);
  }
  if (change.days) fields[offset + 4] = change.days === 'weekdays' ? '1-5' : '*';
  return fields.join(' ');
}

/** "every day at 09:00 UTC", "weekdays at 08:30 Europe/Berlin", or the pattern itself when it is not that simple. */
export function describeSchedule(settings: Pick<DigestSettings, 'cron' | 'tz'>): string {
  const fields = settings.cron.trim().split(/\s+/);
  const [minute, hour, dom, month, dow] = fields.length === 6 ? fields.slice(1) : fields;
  const simple = minute !== undefined && hour !== undefined && /^\d{1,2}$/.test(minute) && /^\d{1,2}$/.test(hour) && dom === '*' && month === '*';
  if (!simple) return `on the schedule ${settings.cron} (${settings.tz})`;
  const at = `${hour.padStart(2, '0')}:${minute.padStart(2, '0')} ${settings.tz}`;
  if (dow === '*' || dow === '?') return `every day at ${at}`;
  if (dow === '1-5' || dow === 'MON-FRI') return `weekdays at ${at}`;
  return `at ${at} on days ${dow ?? '*'} of the week`;
}

export interface DigestScheduleOptions {
  redis: Redis;
  prefix: string;
  defaults: DigestDefaults;
  /** The jobs queue (its scheduler): `Queue#upsertJobScheduler`, `removeJobScheduler`, `getJobScheduler`. */
  queue: Pick<Queue, 'upsertJobScheduler' | 'removeJobScheduler' | 'getJobScheduler'>;
}

export class DigestSchedule {
  constructor(private readonly options: DigestScheduleOptions) {}

  /** The settings in force: the ones changed in Slack, else the environment's. */
  async settings(): Promise<DigestSettings> {
    const stored = await this.options.redis.hgetall(digestSettingsKey(this.options.prefix));
    const { defaults } = this.options;
    if (Object.keys(stored).length === 0) {
      return { ...(defaults.channel !== undefined ? { channel: defaults.channel } : {}), cron: defaults.cron, tz: defaults.tz, enabled: true, source: 'environment' };
    }
    const channel = stored.channel !== undefined && stored.channel !== '' ? stored.channel : defaults.channel;
    return {
      ...(channel !== undefined ? { channel } : {}),
      cron: stored.cron ?? defaults.cron,
      tz: stored.tz ?? defaults.tz,
      enabled: stored.enabled !== '0',
      source: 'slack',
      ...(stored.updatedBy !== undefined ? { updatedBy: stored.updatedBy } : {}),
      ...(stored.updatedAt !== undefined ? { updatedAt: stored.updatedAt } : {}),
    };
  }

  /** Applies a change from Slack, stores it, and reschedules; returns the settings now in force. */
  async change(change: DigestChange, by: { userId: string; at: Date }): Promise<DigestSettings> {
    const current = await this.settings();
    const cron = change.time || change.days ? changeCron(current.cron, change) : current.cron;
    const fields: Record<string, string> = { cron, tz: change.tz ?? current.tz, enabled: (change.enabled ?? current.enabled) ? '1' : '0', updatedBy: by.userId, updatedAt: by.at.toISOString() };
    const channel = change.channel ?? current.channel;
    if (channel !== undefined) fields.channel = channel;
    await this.options.redis.hset(digestSettingsKey(this.options.prefix), fields);
    await this.apply();
    return this.settings();
  }

  /**
   * Makes the job scheduler match the settings: upserted (idempotent) when the digest is on and has a
   * channel, removed otherwise. Returns when the next digest is due, when there is one.
   */
  async apply(): Promise<Date | undefined> {
    const s = await this.settings();
    if (!s.enabled || s.channel === undefined) {
      await this.options.queue.removeJobScheduler(DIGEST_SCHEDULER_ID);
      return undefined;
    }
    const data: DigestJob = { kind: 'digest', scheduled: true };
    await this.options.queue.upsertJobScheduler(DIGEST_SCHEDULER_ID, { pattern: s.cron, tz: s.tz }, { name: DIGEST_JOB_NAME, data, opts: { ...DIGEST_JOB_OPTIONS } });
    return this.next();
  }

  /** When the next digest is due, as scheduled now; undefined when none is (off, or no channel). Reads only. */
  async next(): Promise<Date | undefined> {
    const scheduler = await this.options.queue.getJobScheduler(DIGEST_SCHEDULER_ID);
    return typeof scheduler?.next === 'number' ? new Date(scheduler.next) : undefined;
  }
}
