import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '@jobcast/config';
import { JobcastError } from '@jobcast/core';

/** A stream key: 144 random bits in the characters node-media-server allows in a stream name. */
export function newStreamKey(): string {
  return `live_${randomBytes(18).toString('base64url')}`;
}

/** The key is random and long: a plain SHA-256 is enough to keep it out of the database. */
export function hashStreamKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function newOverlayToken(): string {
  return randomBytes(24).toString('base64url');
}

/** AES-256-GCM for what must be read back (relay push URLs): `v1.<iv>.<tag>.<ciphertext>`, base64url. */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('secret key must be 32 bytes');
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** A key for another use (signing cookies), derived from this one, which never leaves the box. */
  derive(purpose: string): Buffer {
    return createHmac('sha256', this.key).update(`jobcast ${purpose}`).digest();
  }

  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new JobcastError('INTERNAL', '无法解密转推地址：密钥（JOBCAST_SECRET_KEY）与加密时用的不同');
    }
  }
}

/**
 * The configured key, or the one kept in the data folder (made on first use, readable by the owner
 * only), so a fresh machine works without setup and secrets are never stored in plain text.
 */
export async function loadSecretBox(config: Pick<Config, 'secretKeyHex' | 'secretKeyFile'>): Promise<SecretBox> {
  if (config.secretKeyHex) return new SecretBox(Buffer.from(config.secretKeyHex, 'hex'));
  const existing = await readFile(config.secretKeyFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing !== null) return keyFromFile(existing, config.secretKeyFile);
  await mkdir(path.dirname(config.secretKeyFile), { recursive: true });
  // Unique per call: two callers in one process must not share (and unlink) each other's temp file.
  const temp = `${config.secretKeyFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  // link, not rename: when two processes start at once, the first key wins and both read it.
  try {
    await link(temp, config.secretKeyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp);
  }
  return keyFromFile(await readFile(config.secretKeyFile, 'utf8'), config.secretKeyFile);
}

function keyFromFile(text: string, file: string): SecretBox {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new JobcastError(
      'INTERNAL',
      `密钥文件损坏：${file} 应为 64 位十六进制数。请从备份恢复，或设置 JOBCAST_SECRET_KEY；` +
        '没有原来的密钥，已加密的转推地址无法读出',
    );
  }
  return new SecretBox(Buffer.from(hex, 'hex'));
}

/** scheme://host[:port] of a push URL: what logs, lists and evidence may show of it. */
export function relayLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '（无效地址）';
  }
}

/** Takes every RTMP address out of a text (an ffmpeg message names the URL it failed on). */
export function redactUrls(text: string): string {
  return text.replace(/rtmps?:\/\/[^\s'"]+/gi, (url) => `${relayLabel(url)}/…`);
}
