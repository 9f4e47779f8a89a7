/**
 * The API in a process of its own for the benchmark, composed as `jobcast start` composes it (same
 * pool, same heap bound from the parent), so the load generator's CPU is not the server's. Prints
 * `ready URL`; stops on SIGTERM.
 */
import { startApiServer } from '@jobcast/api';
import { loadConfig } from '@jobcast/config';
import { closeDatabase, createDatabase } from '@jobcast/db';
import { Producer } from '@jobcast/queue';

const config = loadConfig();
const db = createDatabase(config.databaseUrl);
const producer = new Producer({ redisUrl: config.redisUrl, prefix: config.queuePrefix });
const server = await startApiServer({ db, producer, config, port: config.port, hostname: '127.0.0.1' });
process.stdout.write(`ready ${server.url}\n`);
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => Promise.all([producer.close(), closeDatabase(db)]))
    .then(() => process.exit(0));
});
