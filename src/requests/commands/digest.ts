/**
 * `/apigw digest`: the daily 5xx digest. `now [window]` posts one here at once; `here`, `off`, `on`,
 * `weekdays`, `daily` and `at 08:30 [Europe/Berlin]` change where and when the daily one goes (kept in
 * Redis, winning over DIGEST_CHANNEL / DIGEST_CRON / DIGEST_TZ); alone, it says how it is set.
 */
import { describeSinceMs } from '../../render/window-phrase';
import { invalid, quote, windowWord } from '../../slack/parse-request';
import type { BotRequest, DigestSettingChange } from '../../slack/request';
import { askerOf, answersInThread, expectKind } from '../asker';
import { plainMessage } from '../messages';
import type { RequestSpec } from '../spec';

const EXAMPLE = '/apigw digest at 08:30 Europe/Berlin';

/** "08:30", "8:30", "8am", "8:30pm" → hour and minute. */
function readTime(word: string): { hour: number; minute: number } | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(word);
  if (!m?.[1] || (m[2] === undefined && m[3] === undefined)) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] !== undefined ? Number(m[2]) : 0;
  const meridiem = m[3]?.toLowerCase();
  if (meridiem !== undefined && (hour < 1 || hour > 12)) return undefined;
  if (meridiem === 'am' && hour === 12) hour = 0;
  if (meridiem === 'pm' && hour < 12) hour += 12;
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){0,2}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function parseDigest(words: readonly string[]): BotRequest {
  const [first, ...rest] = words.map((w) => w.trim()).filter((w) => w !== '');
  const word = first?.toLowerCase();
  if (word === undefined) return { kind: 'digest', action: 'show' };
  if (word === 'now') {
    if (rest.length === 0) return { kind: 'digest', action: 'now' };
    const w = rest.length === 1 && rest[0] !== undefined ? windowWord(rest[0]) : null;
    if (w === null) return invalid(`digest now takes a window, not ${quote(rest.join(' '))}`, '/apigw digest now 24h');
    if ('problem' in w) return invalid(w.problem, '/apigw digest now 24h');
    return { kind: 'digest', action: 'now', sinceMs: w.ms };
  }
  const change = (c: DigestSettingChange): BotRequest => (rest.length === 0 || word === 'at' ? { kind: 'digest', action: 'change', change: c } : invalid(`digest ${word} takes nothing after it, not ${quote(rest.join(' '))}`, `/apigw digest ${word}`));
  switch (word) {
    case 'here':
      return change({ here: true, enabled: true });
    case 'off':
    case 'stop':
      return change({ enabled: false });
    case 'on':
      return change({ enabled: true });
    case 'weekdays':
      return change({ days: 'weekdays', enabled: true });
    case 'daily':
      return change({ days: 'daily', enabled: true });
    case 'at': {
      const [timeWord, zone, ...extra] = rest;
      const time = timeWord !== undefined ? readTime(timeWord) : undefined;
      if (!time) return invalid(`${quote(timeWord ?? '')} is not a time of day: say e.g. digest at 08:30, or digest at 8am Europe/Berlin`, EXAMPLE);
      if (extra.length > 0) return invalid(`too many words after the time: ${quote(extra.join(' '))}`, EXAMPLE);
      if (zone !== undefined && !isTimeZone(zone)) return invalid(`${quote(zone)} is not a time zone: use an IANA name such as Europe/Berlin, America/New_York or UTC`, EXAMPLE);
      return { kind: 'digest', action: 'change', change: { time, ...(zone !== undefined ? { tz: zone } : {}), enabled: true } };
    }
    default:
      return invalid(`unknown digest setting ${quote(first ?? '')}: say now, here, off, on, weekdays, daily, or at 08:30 [zone]`, '/apigw digest now');
  }
}

export const digest: RequestSpec = {
  name: 'digest',
  where: 'command',
  usage: 'digest [now [window] | here | off | on | weekdays | daily | at HH:MM [zone]]',
  hint: 'digest now|here|off',
  summary:
    'The daily 5xx digest: every API stage by its 5xx over the last 24h, the change against the day before and the likely cause. now posts one here; here, off, on, weekdays, daily and at 08:30 Europe/Berlin set where and when the daily one goes; alone, it says how it is set.',
  examples: ['/apigw digest now', '/apigw digest here', '/apigw digest at 08:30 Europe/Berlin', '/apigw digest weekdays', '/apigw digest off'],
  parse: (words) => parseDigest(words),
  plan(request, { origin }) {
    const r = expectKind(request, 'digest');
    if (r.action === 'show') return { kind: 'digest-settings' };
    if (r.action === 'change') return { kind: 'digest-settings', change: r.change };
    const sinceMs = r.sinceMs ?? 24 * 3_600_000;
    const label = describeSinceMs(sinceMs, { now: origin.now });
    return {
      kind: 'queue',
      job: { kind: 'digest', asker: askerOf(origin), askedAt: origin.now.toISOString(), ...(r.sinceMs !== undefined ? { sinceMs: r.sinceMs } : {}) },
      ...(answersInThread(origin) ? {} : { queued: plainMessage(`Putting together the 5xx digest (${label})… I'll post it in this channel.`) }),
    };
  },
};
