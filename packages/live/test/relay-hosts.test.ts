import { randomBytes } from 'node:crypto';
import { DEFAULT_RELAY_HOSTS, loadConfig } from '@jobcast/config';
import type { JobcastError } from '@jobcast/core';
import { closeDatabase, createDatabase, type Database, ensureSite } from '@jobcast/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { relayUrlRefusal } from '../src/relay-hosts.ts';
import { SecretBox } from '../src/secrets.ts';
import { bookLiveSession } from '../src/sessions.ts';

let db: Database;
beforeAll(() => {
  db = createDatabase(inject('databaseUrl'), 2);
});
afterAll(async () => closeDatabase(db));

const rules = loadConfig({}).live;
const urls = {
  publicUrl: 'https://jobcast.example.cn',
  rtmpPublicUrl: 'rtmp://live.jobcast.example.cn:1935/live',
  streamPublicUrl: 'https://live.jobcast.example.cn:8935',
};
const secrets = new SecretBox(randomBytes(32));

/** Books a talk (no rundown needed) with these relays on a site of its own; answers the refusal or the relays kept. */
async function bookWith(relays: string[], relayHosts?: string[]): Promise<JobcastError | { labels: string[] }> {
  const site = await ensureSite(db, { code: `relay-${randomBytes(3).toString('hex')}`, name: '示范区就业服务中心' });
  const booked = await bookLiveSession(
    { db, rules, urls, secrets, ...(relayHosts ? { relayHosts } : {}) },
    { siteId: site.id, userId: null, displayName: '主播' },
    { type: 'policy', title: '政策解读', start: new Date(Date.now() + 3_600_000), jobIds: [], relays },
  ).catch((error: JobcastError) => error);
  const sessions = await db.$client.query<{ label: string | null }>(
    'select r.label from live_sessions s left join live_relays r on r.session_id = s.id where s.site_id = $1 order by r.id',
    [site.id],
  );
  if ('code' in booked) {
    // A refused booking leaves nothing behind.
    expect(sessions.rows).toEqual([]);
    return booked;
  }
  return { labels: sessions.rows.map((row) => row.label as string) };
}

const douyin = 'rtmp://push-rtmp-l1.douyincdn.com/third/stream-1186?expire=6971dde9&sign=ec7d7e45';

describe('booking a relay', () => {
  it('takes a platform ingest host of the default list', async () => {
    expect(await bookWith([douyin, 'rtmps://livepush.qq.com/trtc/secret-1'])).toEqual({
      labels: ['rtmp://push-rtmp-l1.douyincdn.com', 'rtmps://livepush.qq.com'],
    });
  });

  it('refuses a host outside the list, naming the host and the setting, not the push key', async () => {
    const refused = await bookWith([douyin, 'rtmp://evil.example/live/secret-key-42']);
    expect(refused).toMatchObject({ code: 'BAD_INPUT' });
    const { message } = refused as JobcastError;
    expect(message).toMatch(/^第 2 个转推地址的主机 evil\.example 不在允许的平台列表中（JOBCAST_RELAY_HOSTS）/);
    expect(message).not.toContain('secret-key-42');
  });

  it('refuses IP addresses, this machine among them, unless listed', async () => {
    for (const [url, host] of [
      ['rtmp://127.0.0.1/live/k', '127.0.0.1'],
      ['rtmp://10.0.0.8:1935/live/k', '10.0.0.8'],
      ['rtmp://203.0.113.9/live/k', '203.0.113.9'],
      ['rtmp://[::1]/live/k', '[::1]'],
      ['rtmp://[::ffff:127.0.0.1]/live/k', '[::ffff:7f00:1]'],
      ['rtmp://localhost/live/k', 'localhost'],
    ] as const) {
      const refused = (await bookWith([url])) as JobcastError;
      expect(refused.code, url).toBe('BAD_INPUT');
      expect(refused.message, url).toContain(`转推地址的主机 ${host} 不在允许的平台列表中（JOBCAST_RELAY_HOSTS）`);
    }
    // Spellings the resolver reads as 127.0.0.1 are no host names at all.
    for (const url of ['rtmp://2130706433/live/k', 'rtmp://127.1/live/k', 'rtmp://0x7f.0.0.1/live/k']) {
      expect(((await bookWith([url])) as JobcastError).message, url).toMatch(/不是有效的主机名/);
    }
    // Listed, an address is allowed on RTMP's ports, or on the port its pattern names.
    expect(await bookWith(['rtmp://127.0.0.1/live/k'], ['127.0.0.1'])).toEqual({ labels: ['rtmp://127.0.0.1'] });
    expect(await bookWith(['rtmp://127.0.0.1:19350/live/k'], ['127.0.0.1:19350'])).toEqual({
      labels: ['rtmp://127.0.0.1:19350'],
    });
  });

  it('refuses a user name or password in the address without repeating it', async () => {
    const refused = (await bookWith(['rtmp://anchor:hunter2@push-rtmp-l1.douyincdn.com/third/k'])) as JobcastError;
    expect(refused.code).toBe('BAD_INPUT');
    expect(refused.message).toMatch(/^第 1 个转推地址不能包含用户名或密码/);
    expect(refused.message).not.toContain('hunter2');
  });

  it('refuses a port other than 1935 and 443 unless the pattern names it', async () => {
    const refused = (await bookWith(['rtmp://push-rtmp-l1.douyincdn.com:6379/third/k'])) as JobcastError;
    expect(refused.message).toMatch(/^第 1 个转推地址的端口 6379 不被允许.*JOBCAST_RELAY_HOSTS/);
    expect(await bookWith(['rtmps://push-rtmp-l1.douyincdn.com:443/third/k'])).toMatchObject({
      labels: [expect.any(String)],
    });
    expect(await bookWith(['rtmp://ingest.example.com:8935/live/k'], ['*.example.com:8935'])).toMatchObject({
      labels: ['rtmp://ingest.example.com:8935'],
    });
  });
});

describe('host patterns', () => {
  const allowed = (url: string, hosts: string[]) => relayUrlRefusal(url, hosts) === null;

  it('"*.example.com" matches its subdomains only, in any case, with or without the final dot', () => {
    const hosts = ['*.example.com'];
    expect(allowed('rtmp://a.example.com/live/k', hosts)).toBe(true);
    expect(allowed('rtmp://A.B.Example.COM./live/k', hosts)).toBe(true);
    expect(allowed('rtmp://a.example.com/live/k', ['*.EXAMPLE.com.'])).toBe(true);
    expect(allowed('rtmp://example.com/live/k', hosts)).toBe(false);
    expect(allowed('rtmp://example.com.evil.net/live/k', hosts)).toBe(false);
    expect(allowed('rtmp://evilexample.com/live/k', hosts)).toBe(false);
    expect(allowed('rtmp://a.example.com.evil.net/live/k', hosts)).toBe(false);
  });

  it('an exact host matches itself only', () => {
    expect(allowed('rtmp://ingest.example.com/live/k', ['ingest.example.com'])).toBe(true);
    expect(allowed('rtmp://a.ingest.example.com/live/k', ['ingest.example.com'])).toBe(false);
    expect(allowed('rtmp://localhost/live/k', ['localhost'])).toBe(true);
  });

  it('judges the host ffmpeg would connect to, not one hidden in the path or query', () => {
    const hosts = ['*.qq.com'];
    expect(allowed('rtmp://evil.example/a.qq.com/k', hosts)).toBe(false);
    expect(allowed('rtmp://evil.example?x=@a.qq.com/k', hosts)).toBe(false);
    expect(allowed('rtmp://a.qq.com@evil.example/k', hosts)).toBe(false);
    expect(allowed('rtmp://evil.example#.qq.com/k', hosts)).toBe(false);
  });

  it('names an invalid pattern of the setting instead of ignoring it', () => {
    expect(() => relayUrlRefusal('rtmp://a.qq.com/live/k', ['*.qq.com', 'http://x/'])).toThrow(
      /JOBCAST_RELAY_HOSTS 中的“http:\/\/x\/”不是有效的主机/,
    );
  });

  it('the default list is the platforms’ ingest domains', () => {
    expect(allowed(douyin, DEFAULT_RELAY_HOSTS)).toBe(true);
    expect(allowed('rtmp://example.cn/live/k', DEFAULT_RELAY_HOSTS)).toBe(false);
  });
});
