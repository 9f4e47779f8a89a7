/**
 * The stream service in a process of its own for the benchmark, so its CPU (and its relays') can be
 * read from /proc apart from the publishers'. Prints `ready PORT`, then `stats JSON` every second.
 */
import { loadConfig } from '@jobcast/config';
import { createDatabase } from '@jobcast/db';
import { LocalMediaStore } from '@jobcast/storage';
import { startStreamService } from '@jobcast/stream';

const config = loadConfig();
const db = createDatabase(config.databaseUrl, 4);
const service = await startStreamService({ db, config, store: new LocalMediaStore(config.mediaDir) });
process.stdout.write(`ready ${service.rtmpPort}\n`);
setInterval(() => process.stdout.write(`stats ${JSON.stringify(service.live())}\n`), 1000);
process.once('SIGTERM', () => {
  void service.close().then(() => process.exit(0));
});
