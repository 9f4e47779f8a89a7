import type { Principal } from '@jobcast/auth';
import type { Config } from '@jobcast/config';
import type { Database } from '@jobcast/db';
import type { Producer } from '@jobcast/queue';
import type { MediaStore } from '@jobcast/storage';
import type { RequestIdVariables } from 'hono/request-id';

/** What the API is composed from. The caller opens these and closes them; the API only borrows them. */
export interface ApiDeps {
  db: Database;
  producer: Producer;
  config: Config;
  log?: (line: string) => void;
  /** Where rendered files are read from; by default the configured media folder. */
  store?: MediaStore;
}

export type ApiServices = Required<ApiDeps>;

export type AppEnv = {
  Variables: RequestIdVariables & {
    services: ApiServices;
    /** Set by `authenticate`: only routes behind it may read it. */
    principal: Principal;
  };
};
