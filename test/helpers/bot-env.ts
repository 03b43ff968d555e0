/** The environment of the built web and worker processes in end-to-end tests: the fake Slack, the local Redis, the sandbox. */
import type { FakeSlack } from './fake-slack';

export interface BotEnvOptions {
  slack: Pick<FakeSlack, 'apiUrl'>;
  token: string;
  secret: string;
  /** `QUEUE_PREFIX`: one per test file, so that files share Redis without meeting. */
  prefix: string;
  port: number;
}

/** SLACK_*, REDIS_URL (127.0.0.1:6379), QUEUE_PREFIX, PORT and APIGW_DOCTOR_SANDBOX=1, then `extra`. */
export function botEnv(options: BotEnvOptions, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: options.token,
    SLACK_SIGNING_SECRET: options.secret,
    SLACK_API_URL: options.slack.apiUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: options.prefix,
    PORT: String(options.port),
    APIGW_DOCTOR_SANDBOX: '1',
    ...extra,
  };
}
