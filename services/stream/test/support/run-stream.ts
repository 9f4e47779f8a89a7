/**
 * The stream service alone in a process of its own, for tests that kill it. Configuration comes from
 * the environment like the real command's; prints `ready <rtmpPort>` once it listens.
 */
import { loadConfig } from '@jobcast/config';
import { createDatabase } from '@jobcast/db';
import { LocalMediaStore } from '@jobcast/storage';
import { startStreamService } from '../../src/index.ts';

const config = loadConfig();
const db = createDatabase(config.databaseUrl, 4);
const service = await startStreamService({
  db,
  config,
  store: new LocalMediaStore(config.mediaDir),
  log: (line) => process.stderr.write(`${line}\n`),
  tickMs: 250,
});
process.stdout.write(`ready ${service.rtmpPort}\n`);
process.once('SIGTERM', () => {
  void service
    .close()
    .then(() => db.$client.end())
    .then(() => process.exit(0));
});
