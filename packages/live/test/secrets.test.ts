import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashStreamKey, loadSecretBox, newStreamKey, redactUrls, SecretBox } from '../src/secrets.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-live-secrets-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const pushUrl = 'rtmp://push.example.cn/live/stream-ABC123?auth_key=1767225600-0-0-5f4dcc3b5aa765d61d8327deb882cf99';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, and never holds the text in the clear', () => {
    const sealed = box.seal(pushUrl);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('push.example.cn');
    expect(box.open(sealed)).toBe(pushUrl);
    expect(box.seal(pushUrl)).not.toBe(sealed);
  });

  it('refuses a tampered text', () => {
    const [version, iv, tag, body] = box.seal(pushUrl).split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open([version, iv, tag, flipped.toString('base64url')].join('.'))).toThrow(/无法解密/);
    expect(() => box.open('v1.abc')).toThrow(/not a sealed secret/);
  });

  it('refuses a text sealed with another key', () => {
    const sealed = new SecretBox(randomBytes(32)).seal(pushUrl);
    expect(() => box.open(sealed)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('wants a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('loadSecretBox', () => {
  it('makes the key file once, readable by the owner only, and uses it from then on', async () => {
    const secretKeyFile = path.join(dir, 'first', 'secret.key');
    const first = await loadSecretBox({ secretKeyHex: undefined, secretKeyFile });
    expect((await stat(secretKeyFile)).mode & 0o777).toBe(0o600);
    const key = await readFile(secretKeyFile, 'utf8');
    expect(key.trim()).toMatch(/^[0-9a-f]{64}$/);
    const again = await loadSecretBox({ secretKeyHex: undefined, secretKeyFile });
    expect(await readFile(secretKeyFile, 'utf8')).toBe(key);
    expect(again.open(first.seal(pushUrl))).toBe(pushUrl);
  });

  it('gives two callers starting at once the same key', async () => {
    const secretKeyFile = path.join(dir, 'race', 'secret.key');
    const boxes = await Promise.all(
      Array.from({ length: 4 }, () => loadSecretBox({ secretKeyHex: undefined, secretKeyFile })),
    );
    const sealed = boxes[0]?.seal(pushUrl) as string;
    for (const box of boxes) expect(box.open(sealed)).toBe(pushUrl);
    expect(await readFile(secretKeyFile, 'utf8').then((text) => text.trim())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('prefers the configured key and writes no file then', async () => {
    const secretKeyHex = randomBytes(32).toString('hex');
    const secretKeyFile = path.join(dir, 'configured', 'secret.key');
    const box = await loadSecretBox({ secretKeyHex, secretKeyFile });
    expect(new SecretBox(Buffer.from(secretKeyHex, 'hex')).open(box.seal(pushUrl))).toBe(pushUrl);
    await expect(stat(secretKeyFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('redactUrls', () => {
  it('leaves only scheme and host of every RTMP address in a text', () => {
    const message = `Error opening output ${pushUrl}: I/O error; retry RTMPS://user:pw@live.example.com:443/app/key-XYZ.`;
    const redacted = redactUrls(message);
    expect(redacted).toMatch(
      /^Error opening output rtmp:\/\/push\.example\.cn\/….* retry rtmps:\/\/live\.example\.com:443\/…$/,
    );
    for (const secret of ['stream-ABC123', 'auth_key', 'key-XYZ', 'user', 'pw@'])
      expect(redacted).not.toContain(secret);
  });

  it('leaves a text without RTMP addresses as it is', () => {
    expect(redactUrls('Connection refused')).toBe('Connection refused');
  });
});

describe('stream keys', () => {
  it('carry at least 128 random bits in the characters a stream name allows', () => {
    const keys = Array.from({ length: 1000 }, newStreamKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) {
      expect(key).toMatch(/^[A-Za-z0-9_-]+$/);
      const random = key.replace(/^live_/, '');
      expect(Buffer.from(random, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
    // Every position of the random part varies: nothing fixed hides in the middle of it.
    const randomParts = keys.map((key) => key.replace(/^live_/, ''));
    for (let i = 0; i < (randomParts[0]?.length ?? 0); i++) {
      expect(new Set(randomParts.map((part) => part[i])).size).toBeGreaterThan(30);
    }
  });

  it('are kept as a SHA-256 that does not contain them', () => {
    const key = newStreamKey();
    expect(hashStreamKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashStreamKey(key)).toBe(hashStreamKey(key));
    expect(hashStreamKey(key)).not.toContain(key);
  });
});
