import type { Principal, WebSession } from '@jobcast/auth';
import type { Config } from '@jobcast/config';
import type { Database } from '@jobcast/db';
import type { SecretBox } from '@jobcast/live';
import type { Producer } from '@jobcast/queue';
import type { MediaStore } from '@jobcast/storage';
import type { RequestIdVariables } from 'hono/request-id';
import type { LiveFeed } from './live-feed.ts';
import type { LoginLimiter, LoginLimits } from './web/login-limit.ts';

/** What the API is composed from. The caller opens these and closes them; the API only borrows them. */
export interface ApiDeps {
  db: Database;
  producer: Producer;
  config: Config;
  log?: (line: string) => void;
  /** Where rendered files are read from; by default the configured media folder. */
  store?: MediaStore;
  /** Seals relay push URLs; by default the configured key, or the data folder's, read on first use. */
  secrets?: SecretBox;
  /** Failed sign-ins tolerated before a pause; tests make them small. */
  loginLimits?: LoginLimits;
}

export type ApiServices = Required<Omit<ApiDeps, 'secrets' | 'loginLimits'>> & {
  loginLimiter: LoginLimiter;
  secrets(): Promise<SecretBox>;
  /** The one LISTEN behind every overlay's event stream. */
  liveFeed: LiveFeed;
};

export type AppEnv = {
  Variables: RequestIdVariables & {
    services: ApiServices;
    /** Set by `authenticate`: only routes behind it may read it. */
    principal: Principal;
    /** Set when the caller signed in through the browser (a session cookie), not with a bearer token. */
    web?: WebSession;
  };
};
