import { randomBytes } from 'node:crypto';
import { DEFAULT_RELAY_HOSTS, loadConfig } from '@jobcast/config';
import { closeDatabase, createDatabase, type Database, ensureSite } from '@jobcast/db';
import { bookLiveSession, liveStatus, relayTargets, SecretBox } from '@jobcast/live';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Relay } from '../src/relay.ts';
import { freePort, type Publisher } from '../src/rtmp-server.ts';

let db: Database;
beforeAll(() => {
  db = createDatabase(inject('databaseUrl'), 2);
});
afterAll(async () => closeDatabase(db));

const config = loadConfig({});
const secrets = new SecretBox(randomBytes(32));

/** A publisher that sends nothing and counts who listens to it (a started relay listens). */
function silentPublisher(): Publisher & { subscribers: number } {
  const publisher = {
    id: 'test',
    clientAddress: '127.0.0.1:50000',
    app: 'live',
    key: 'live_test',
    connectedAt: new Date(),
    subscribers: 0,
    inBytes: () => 0,
    subscribe: () => {
      publisher.subscribers += 1;
      return () => {};
    },
    close: () => {},
    closed: new Promise<void>(() => {}),
  };
  return publisher;
}

/** A session booked while `bookedUnder` allowed the push address. */
async function bookedRelay(url: string, bookedUnder: string[]) {
  const site = await ensureSite(db, { code: `rh-${randomBytes(3).toString('hex')}`, name: '示范区就业服务中心' });
  const { sessionId } = await bookLiveSession(
    { db, rules: config.live, urls: config, secrets, relayHosts: bookedUnder },
    { siteId: site.id, userId: null, displayName: '主播' },
    { type: 'policy', title: '政策解读', start: new Date(), jobIds: [], relays: [url] },
  );
  const [target] = await relayTargets(db, secrets, sessionId);
  if (!target) throw new Error('the relay was not booked');
  return { sessionId, target };
}

describe('a relay booked before the allowed hosts changed', () => {
  it('is not started when its host is no longer allowed, and is marked failed with the reason', async () => {
    const { sessionId, target } = await bookedRelay('rtmp://push.example.cn/live/stream-secret-77', ['*.example.cn']);
    const publisher = silentPublisher();
    const logs: string[] = [];
    const relay = new Relay(target, publisher, db, (line) => logs.push(line), undefined, DEFAULT_RELAY_HOSTS);
    expect(publisher.subscribers).toBe(0);
    // Refused before anything starts, it ends by itself: nothing to retry.
    await relay.done;
    expect(relay.stats).toMatchObject({ connected: false, connects: 0, failures: 1 });
    const [row] = (await liveStatus(db, config.live, sessionId)).relays;
    expect(row).toMatchObject({ label: 'rtmp://push.example.cn', connects: 0, failures: 1 });
    expect(row?.lastError).toMatch(
      /^转推地址的主机 push\.example\.cn 不在允许的平台列表中（JOBCAST_RELAY_HOSTS），未转推/,
    );
    expect(logs.join('\n')).toContain('relay to rtmp://push.example.cn not started');
    expect(`${logs.join('\n')}${row?.lastError}`).not.toContain('stream-secret-77');
    await relay.stop();
  });

  it('starts as before while its host is still allowed', async () => {
    const port = await freePort();
    const { target } = await bookedRelay(`rtmp://127.0.0.1:${port}/live/k`, ['127.0.0.1:*']);
    const publisher = silentPublisher();
    const relay = new Relay(target, publisher, db, () => {}, { firstMs: 100, maxMs: 200 }, ['127.0.0.1:*']);
    expect(publisher.subscribers).toBe(1);
    await relay.stop();
  });
});
