// A node-media-server with no JobCast logic, for the stream benchmark: the relay target, and the
// baseline the stream service's overhead is measured against. `node bare-nms.cjs PORT [RECORD_DIR] STORE_DIR`
const NodeMediaServer = require('node-media-server');
const logger = require('node-media-server/src/core/logger.js');

const [port, recordDir, storeDir] = process.argv.slice(2);
const config = {
  bind: '127.0.0.1',
  rtmp: { port: Number(port) },
  store: { path: storeDir },
  webadmin: { enable: false },
};
if (recordDir && recordDir !== '-') config.record = { path: recordDir };
const nms = new NodeMediaServer(config);
logger.level = 'error';
nms.run().then(() => process.stdout.write('ready\n'));
process.on('SIGTERM', () => nms.stop().then(() => process.exit(0)));
