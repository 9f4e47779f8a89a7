import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { chineseIssueMessages } from './issue-messages.ts';

export { chineseIssueMessages, useChineseIssueMessages } from './issue-messages.ts';

/** The repository root: default home of data/ so a fresh clone writes nowhere else. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const envSchema = z.object({
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/jobcast'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  JOBCAST_DATA_DIR: z.string().min(1).optional(),
  JOBCAST_MEDIA_DIR: z.string().min(1).optional(),
  JOBCAST_SITE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, '站点代码只能用小写字母、数字和 -')
    .default('default'),
  JOBCAST_SITE_NAME: z.string().min(1).default('示范区就业服务中心'),
  JOBCAST_TIMEZONE: z.string().min(1).default('Asia/Shanghai'),
  // 0 asks the system for a free port (tests, side-by-side instances).
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  JOBCAST_PUBLIC_URL: z.url().optional(),
  JOBCAST_UPLOAD_LIMIT_MB: z.coerce.number().positive().default(50),
  JOBCAST_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('jobcast'),
  JOBCAST_IMPORT_BATCH_ROWS: z.coerce.number().int().min(1).max(20000).default(2000),
  JOBCAST_RTMP_PORT: z.coerce.number().int().min(0).max(65535).default(1935),
  // HTTP-FLV preview of live sessions for the console, served by the stream service.
  JOBCAST_STREAM_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8935),
  // What OBS is told to connect to; by default this machine's RTMP port.
  JOBCAST_RTMP_PUBLIC_URL: z
    .string()
    .regex(/^rtmps?:\/\/\S+$/, '须为 rtmp:// 地址')
    .optional(),
  JOBCAST_STREAM_PUBLIC_URL: z.url().optional(),
  JOBCAST_RECONNECT_GAP_SECONDS: z.coerce.number().int().min(1).default(600),
  JOBCAST_PRESENT_MIN_SECONDS: z.coerce.number().int().min(1).default(60),
  JOBCAST_GUARD_MIN_LIVE_SECONDS: z.coerce.number().int().min(1).default(3600),
  JOBCAST_GUARD_MIN_JOBS: z.coerce.number().int().min(1).default(20),
  JOBCAST_OTHER_MIN_LIVE_SECONDS: z.coerce.number().int().min(1).default(1800),
  JOBCAST_THUMBNAIL_SECONDS: z.coerce.number().int().min(1).default(300),
  // 32 bytes as 64 hex digits: encrypts relay push URLs. Unset: a key file is made in the data folder.
  // Listening addresses. Unset: every interface (as a workstation demo needs); behind a reverse
  // proxy, 127.0.0.1. JOBCAST_RTMP_HOST and JOBCAST_STREAM_HTTP_HOST default to JOBCAST_LISTEN_HOST.
  JOBCAST_LISTEN_HOST: z.string().min(1).optional(),
  JOBCAST_RTMP_HOST: z.string().min(1).optional(),
  JOBCAST_STREAM_HTTP_HOST: z.string().min(1).optional(),
  // Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges, comma-separated).
  JOBCAST_TRUSTED_PROXIES: z.string().default(''),
  // Hosts relays may push to (comma-separated; "*.example.com" matches its subdomains).
  JOBCAST_RELAY_HOSTS: z.string().optional(),
  // Uploads: how many may be received at once, and how long an uploaded file is kept.
  JOBCAST_UPLOAD_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  JOBCAST_UPLOAD_RETENTION_DAYS: z.coerce.number().min(0).default(30),
  // The RTMP port under hostile traffic: time limits, connections per address, memory ceiling.
  JOBCAST_RTMP_HANDSHAKE_SECONDS: z.coerce.number().positive().default(5),
  JOBCAST_RTMP_PUBLISH_SECONDS: z.coerce.number().positive().default(20),
  JOBCAST_RTMP_IDLE_SECONDS: z.coerce.number().positive().default(30),
  JOBCAST_RTMP_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(8),
  JOBCAST_STREAM_MEMORY_MB: z.coerce.number().int().min(64).default(1024),
  // `start --demo` creates users with a published password: only at a loopback public URL, unless this is set.
  JOBCAST_ALLOW_DEMO_USERS: z.stringbool().default(false),
  JOBCAST_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '须为 64 位十六进制数字（32 字节）')
    .optional(),
});

/**
 * Relay targets allowed when JOBCAST_RELAY_HOSTS is not set: the platforms' RTMP ingest domains
 * (WeChat Channels 视频号 on Tencent Cloud, Douyin 抖音 on ByteDance's CDNs).
 */
export const DEFAULT_RELAY_HOSTS = [
  '*.qq.com',
  '*.myqcloud.com',
  '*.douyin.com',
  '*.douyincdn.com',
  '*.douyinliving.com',
];

/** Limits on what one RTMP connection may cost the stream service. */
export interface RtmpLimits {
  handshakeSeconds: number;
  publishSeconds: number;
  idleSeconds: number;
  connectionsPerAddress: number;
}

/** The contract's livestream rules, as configuration: tests run them with small numbers. */
export interface LiveRules {
  reconnectGapSeconds: number;
  presentMinSeconds: number;
  guardMinLiveSeconds: number;
  guardMinJobs: number;
  otherMinLiveSeconds: number;
}

export interface Config {
  databaseUrl: string;
  redisUrl: string;
  dataDir: string;
  uploadDir: string;
  /** Rendered videos, posters and flyers (the media store's folder). */
  mediaDir: string;
  /** Video, poster and flyer templates: the repo's templates/ folder. */
  templatesDir: string;
  siteCode: string;
  siteName: string;
  timezone: string;
  port: number;
  publicUrl: string;
  uploadLimitBytes: number;
  queuePrefix: string;
  importBatchRows: number;
  rtmpPort: number;
  streamHttpPort: number;
  /** The RTMP server address OBS is given (the stream key goes in OBS's own field). */
  rtmpPublicUrl: string;
  /** Where the stream service's HTTP-FLV preview is reached. */
  streamPublicUrl: string;
  live: LiveRules;
  thumbnailSeconds: number;
  secretKeyHex: string | undefined;
  /** Where the API listens; undefined: every interface. */
  listenHost: string | undefined;
  rtmpHost: string | undefined;
  streamHttpHost: string | undefined;
  /** Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed. */
  trustedProxies: string[];
  /** Host patterns relays may push to ("*.example.com" matches its subdomains). */
  relayHosts: string[];
  uploadConcurrency: number;
  uploadRetentionDays: number;
  rtmpLimits: RtmpLimits;
  /** The stream service's own process is restarted when its memory passes this. */
  streamMemoryMb: number;
  /** Holds the generated secret key when JOBCAST_SECRET_KEY is not set. */
  secretKeyFile: string;
  /** The demo may create its users (known password) although the public URL is not loopback. */
  allowDemoUsers: boolean;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; the only place that reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env, { error: chineseIssueMessages });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}：${issue.message}`);
    throw new ConfigError(`配置有误：\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(repoRoot, e.JOBCAST_DATA_DIR ?? 'data');
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    dataDir,
    uploadDir: path.join(dataDir, 'uploads'),
    mediaDir: path.resolve(repoRoot, e.JOBCAST_MEDIA_DIR ?? path.join(dataDir, 'media')),
    templatesDir: path.join(repoRoot, 'templates'),
    siteCode: e.JOBCAST_SITE,
    siteName: e.JOBCAST_SITE_NAME,
    timezone: e.JOBCAST_TIMEZONE,
    port: e.PORT,
    publicUrl: e.JOBCAST_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    uploadLimitBytes: Math.round(e.JOBCAST_UPLOAD_LIMIT_MB * 1024 * 1024),
    queuePrefix: e.JOBCAST_QUEUE_PREFIX,
    importBatchRows: e.JOBCAST_IMPORT_BATCH_ROWS,
    rtmpPort: e.JOBCAST_RTMP_PORT,
    streamHttpPort: e.JOBCAST_STREAM_HTTP_PORT,
    rtmpPublicUrl: e.JOBCAST_RTMP_PUBLIC_URL ?? `rtmp://localhost:${e.JOBCAST_RTMP_PORT}/live`,
    streamPublicUrl: e.JOBCAST_STREAM_PUBLIC_URL ?? `http://localhost:${e.JOBCAST_STREAM_HTTP_PORT}`,
    live: {
      reconnectGapSeconds: e.JOBCAST_RECONNECT_GAP_SECONDS,
      presentMinSeconds: e.JOBCAST_PRESENT_MIN_SECONDS,
      guardMinLiveSeconds: e.JOBCAST_GUARD_MIN_LIVE_SECONDS,
      guardMinJobs: e.JOBCAST_GUARD_MIN_JOBS,
      otherMinLiveSeconds: e.JOBCAST_OTHER_MIN_LIVE_SECONDS,
    },
    thumbnailSeconds: e.JOBCAST_THUMBNAIL_SECONDS,
    secretKeyHex: e.JOBCAST_SECRET_KEY,
    listenHost: e.JOBCAST_LISTEN_HOST,
    rtmpHost: e.JOBCAST_RTMP_HOST ?? e.JOBCAST_LISTEN_HOST,
    streamHttpHost: e.JOBCAST_STREAM_HTTP_HOST ?? e.JOBCAST_LISTEN_HOST,
    trustedProxies: list(e.JOBCAST_TRUSTED_PROXIES),
    relayHosts: e.JOBCAST_RELAY_HOSTS === undefined ? DEFAULT_RELAY_HOSTS : list(e.JOBCAST_RELAY_HOSTS),
    uploadConcurrency: e.JOBCAST_UPLOAD_CONCURRENCY,
    uploadRetentionDays: e.JOBCAST_UPLOAD_RETENTION_DAYS,
    rtmpLimits: {
      handshakeSeconds: e.JOBCAST_RTMP_HANDSHAKE_SECONDS,
      publishSeconds: e.JOBCAST_RTMP_PUBLISH_SECONDS,
      idleSeconds: e.JOBCAST_RTMP_IDLE_SECONDS,
      connectionsPerAddress: e.JOBCAST_RTMP_CONNECTIONS_PER_ADDRESS,
    },
    streamMemoryMb: e.JOBCAST_STREAM_MEMORY_MB,
    secretKeyFile: path.join(dataDir, 'secret.key'),
    allowDemoUsers: e.JOBCAST_ALLOW_DEMO_USERS,
  };
}

/** A comma-separated setting as its trimmed, non-empty parts. */
function list(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
