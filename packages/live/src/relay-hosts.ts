/**
 * Where relays may push: hosts the deployment allows (JOBCAST_RELAY_HOSTS), so an anchor cannot make
 * the server connect to any host and port. Checked at booking and again before each relay starts.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { JobcastError } from '@jobcast/core';

const SETTING = 'JOBCAST_RELAY_HOSTS';
/** Ports a pattern without one allows: RTMP's and RTMPS's. */
const STANDARD_PORTS = [1935, 443];
const DEFAULT_PORT = { rtmp: 1935, rtmps: 443 } as const;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A refusal, in the console's words and the log's. */
export interface RelayRefusal {
  zh: string;
  en: string;
}

export interface HostPattern {
  kind: 'name' | 'suffix' | 'ip';
  /** Lowercase, no trailing dot; for `suffix`, what follows "*." */
  host: string;
  /** null: the standard ports; '*': any port. */
  port: number | '*' | null;
}

/** The address a relay URL makes ffmpeg connect to (its authority ends at the first / ? or #, as ffmpeg splits it). */
interface RelayAddress {
  host: string;
  ip: boolean;
  port: number;
}

/** A DNS name, lowercase, without a trailing dot; null when it is none (an IP in any spelling included). */
function dnsName(text: string): string | null {
  const name = text.toLowerCase().replace(/\.$/, '');
  if (name.length === 0 || name.length > 253) return null;
  const labels = name.split('.');
  if (!labels.every((label) => LABEL.test(label))) return null;
  // A last label that is a number makes it an IPv4 address to the resolver (127.1, 2130706433, 0x7f.1).
  if (/^(?:\d+|0x[0-9a-f]*)$/.test(labels.at(-1) ?? '')) return null;
  return name;
}

/** An IP literal in one spelling: dotted IPv4, or IPv6 as the URL standard writes it (no brackets). */
function ipLiteral(text: string): string | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return null;
  try {
    return new URL(`http://[${bare}]`).hostname.slice(1, -1);
  } catch {
    return null; // a zone id (fe80::1%eth0)
  }
}

function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/** host, [v6] or bare v6, each with an optional :port (or :* for any port). */
function parsePattern(raw: string): HostPattern {
  const text = raw.trim().toLowerCase();
  const invalid = () =>
    new JobcastError('INTERNAL', `${SETTING} 中的“${raw}”不是有效的主机（应为 主机名、*.域名、IP 地址，可加 :端口）`);
  let hostPart = text;
  let portPart: string | null = null;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) throw invalid();
    hostPart = text.slice(0, end + 1);
    const rest = text.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw invalid();
      portPart = rest.slice(1);
    }
  } else if (text.split(':').length === 2) {
    [hostPart, portPart] = text.split(':') as [string, string];
  }
  const port = portPart === null ? null : portPart === '*' ? '*' : parsePort(portPart);
  if (port === null && portPart !== null) throw invalid();
  const ip = ipLiteral(hostPart);
  if (ip !== null) return { kind: 'ip', host: ip, port };
  const wildcard = hostPart.startsWith('*.');
  const name = dnsName(wildcard ? hostPart.slice(2) : hostPart);
  if (name === null) throw invalid();
  return { kind: wildcard ? 'suffix' : 'name', host: name, port };
}

/** Patterns of the setting; an invalid one is the operator's to fix, so it is named rather than skipped. */
export function parseRelayHostPatterns(patterns: readonly string[]): HostPattern[] {
  return patterns.map(parsePattern);
}

function parseRelayAddress(url: string): RelayAddress | RelayRefusal {
  const match = /^(rtmps?):\/\/([^/?#]*)/i.exec(url);
  const unreadable = { zh: '转推地址不是有效的 rtmp:// 地址', en: 'not an rtmp:// push URL' };
  if (!match) return unreadable;
  const scheme = (match[1] ?? '').toLowerCase() as 'rtmp' | 'rtmps';
  const authority = match[2] ?? '';
  // Never echoed: what precedes @ may be a password.
  if (authority.includes('@'))
    return {
      zh: '转推地址不能包含用户名或密码（@ 之前的部分）',
      en: 'a relay address may not carry a user name or password',
    };
  let hostText = authority;
  let portText: string | null = null;
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    if (end < 0) return unreadable;
    hostText = authority.slice(0, end + 1);
    const rest = authority.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return unreadable;
      portText = rest.slice(1);
    }
  } else {
    const colon = authority.indexOf(':');
    if (colon >= 0) {
      hostText = authority.slice(0, colon);
      portText = authority.slice(colon + 1);
    }
  }
  const port = portText === null ? DEFAULT_PORT[scheme] : parsePort(portText);
  if (port === null)
    return { zh: `转推地址的端口“${portText}”无效`, en: `the port "${portText}" of the relay address is not valid` };
  const ip = ipLiteral(hostText);
  if (ip !== null) return { host: ip, ip: true, port };
  const name = dnsName(hostText);
  if (name === null)
    return {
      zh: `转推地址的主机 ${hostText} 不是有效的主机名（IP 地址请写成 1.2.3.4 的标准形式）`,
      en: `the relay host ${hostText} is not a valid host name`,
    };
  return { host: name, ip: false, port };
}

function hostMatches(pattern: HostPattern, address: RelayAddress): boolean {
  if (pattern.kind === 'ip') return address.ip && pattern.host === address.host;
  if (address.ip) return false;
  if (pattern.kind === 'name') return pattern.host === address.host;
  return address.host.endsWith(`.${pattern.host}`);
}

function portMatches(pattern: HostPattern, port: number): boolean {
  if (pattern.port === '*') return true;
  if (pattern.port === null) return STANDARD_PORTS.includes(port);
  return pattern.port === port;
}

/**
 * Why a relay push URL may not be used under the allowed host patterns, or null when it may. The
 * refusal names the host and the setting, never the URL's path (its stream key) or user part.
 * IP addresses (loopback and private ones included) pass only when listed as such.
 */
export function relayUrlRefusal(url: string, allowedHosts: readonly string[]): RelayRefusal | null {
  const address = parseRelayAddress(url);
  if (!('host' in address)) return address;
  const patterns = parseRelayHostPatterns(allowedHosts);
  const hostAllowed = patterns.filter((pattern) => hostMatches(pattern, address));
  if (hostAllowed.length === 0) {
    const shown = address.ip && address.host.includes(':') ? `[${address.host}]` : address.host;
    return {
      zh: `转推地址的主机 ${shown} 不在允许的平台列表中（${SETTING}）`,
      en: `the relay host ${shown} is not among the allowed hosts (${SETTING})`,
    };
  }
  if (!hostAllowed.some((pattern) => portMatches(pattern, address.port)))
    return {
      zh: `转推地址的端口 ${address.port} 不被允许：只能用 1935 或 443，其他端口须在 ${SETTING} 中写成“主机:端口”`,
      en: `port ${address.port} is not allowed for relays: 1935 or 443 unless ${SETTING} lists host:port`,
    };
  return null;
}
