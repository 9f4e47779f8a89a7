import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { JobcastError } from '@jobcast/core';
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';

/** The eight 16-bit groups of an IPv6 address (already checked with isIPv6). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0] ?? '';
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const before = head ? head.split(':') : [];
  const after = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - before.length - after.length).fill('0');
  return [...before, ...zeros, ...after].map((group) => Number.parseInt(group, 16));
}

/**
 * An address as one client is known by: IPv4 as written, an IPv4-mapped IPv6 address (::ffff:a.b.c.d,
 * what a dual-stack socket reports) as its IPv4, IPv6 in lower case; undefined when it is not an
 * IP address. Brackets and a port ([2001:db8::1]:443, 203.0.113.5:1234) are taken off.
 */
export function normalizeAddress(raw: string): string | undefined {
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  if (isIPv4(text)) return text;
  if (!isIPv6(text)) return undefined;
  const groups = ipv6Groups(text);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return text.toLowerCase();
}

/**
 * Whose failures count together at the login limit: an IPv4 address alone, an IPv6 address with its
 * /64 (one household or office line gets a whole /64, so counting single IPv6 addresses would give
 * an attacker billions of fresh ones). Anything else is its own bucket.
 */
export function addressBucket(address: string): string {
  const normal = normalizeAddress(address);
  if (normal === undefined || isIPv4(normal)) return normal ?? address;
  const prefix = ipv6Groups(normal)
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':');
  return `${prefix}::/64`;
}

/** The reverse proxies whose X-Forwarded-For is believed (JOBCAST_TRUSTED_PROXIES), checked. */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = family === 'ipv4' ? 32 : 128;
    if (
      !family ||
      extra !== undefined ||
      (bits !== undefined && (!/^\d{1,3}$/.test(prefix ?? '') || (bits as number) > maxBits))
    ) {
      throw new JobcastError(
        'BAD_INPUT',
        `JOBCAST_TRUSTED_PROXIES 中的 "${entry}" 不是 IP 地址或网段，应写成 10.0.0.5 或 10.0.0.0/8 这样`,
      );
    }
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, bits, family);
  }
  return list;
}

const parsedLists = new WeakMap<readonly string[], BlockList>();

function isTrusted(address: string, entries: readonly string[]): boolean {
  if (entries.length === 0) return false;
  let list = parsedLists.get(entries);
  if (!list) {
    list = trustedProxyList(entries);
    parsedLists.set(entries, list);
  }
  return list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
}

/**
 * The client's address, for the login limit. Forwarding headers are believed only from a trusted
 * proxy (config.trustedProxies): then the client is the right-most X-Forwarded-For entry that is not
 * itself a trusted proxy, since entries further left were written by whoever sent the request.
 * Requests made in-process (tests) have no socket and share one address.
 */
export function resolveClientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: readonly string[],
): string {
  let client = peer === undefined ? undefined : normalizeAddress(peer);
  if (client === undefined) return peer ?? 'in-process';
  const hops = (forwardedFor ?? '').split(',').filter((hop) => hop.trim() !== '');
  while (isTrusted(client, trustedProxies)) {
    const hop = hops.pop();
    const next = hop === undefined ? undefined : normalizeAddress(hop);
    // A garbled entry is not believed: the last trusted proxy stands for the client.
    if (next === undefined) break;
    client = next;
  }
  return client;
}

export function clientAddress(c: Context<AppEnv>): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return resolveClientAddress(
    incoming?.socket?.remoteAddress,
    c.req.header('x-forwarded-for'),
    c.var.services.config.trustedProxies,
  );
}
