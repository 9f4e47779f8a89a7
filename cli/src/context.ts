import { type Config, loadConfig } from '@jobcast/config';
import { closeDatabase, createDatabase, type Database } from '@jobcast/db';

/** What every command needs, opened on first use and closed once at exit. */
export class CommandContext {
  readonly config: Config;
  private database: Database | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.config = loadConfig(env);
  }

  get db(): Database {
    if (!this.database) {
      this.database = createDatabase(this.config.databaseUrl);
      // An idle connection that drops (PostgreSQL restarted or gone) is an `error` on the pool, which
      // would end the process unheard; the pool replaces it, and a query that fails says so itself.
      this.database.$client.on('error', (error: Error) =>
        process.stderr.write(`${new Date().toISOString()} postgres: idle connection lost: ${error.message}\n`),
      );
    }
    return this.database;
  }

  async close(): Promise<void> {
    if (this.database) await closeDatabase(this.database);
    this.database = undefined;
  }
}

export function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}
