import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root: default home of data/ so a fresh clone writes nowhere else. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const envSchema = z.object({
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/jobcast'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  JOBCAST_DATA_DIR: z.string().min(1).optional(),
  JOBCAST_MEDIA_DIR: z.string().min(1).optional(),
  JOBCAST_SITE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lowercase letters, digits and "-"')
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
    .regex(/^rtmps?:\/\/\S+$/, 'an rtmp:// address')
    .optional(),
  JOBCAST_STREAM_PUBLIC_URL: z.url().optional(),
  JOBCAST_RECONNECT_GAP_SECONDS: z.coerce.number().int().min(1).default(600),
  JOBCAST_PRESENT_MIN_SECONDS: z.coerce.number().int().min(1).default(60),
  JOBCAST_GUARD_MIN_LIVE_SECONDS: z.coerce.number().int().min(1).default(3600),
  JOBCAST_GUARD_MIN_JOBS: z.coerce.number().int().min(1).default(20),
  JOBCAST_OTHER_MIN_LIVE_SECONDS: z.coerce.number().int().min(1).default(1800),
  JOBCAST_THUMBNAIL_SECONDS: z.coerce.number().int().min(1).default(300),
  // 32 bytes as 64 hex digits: encrypts relay push URLs. Unset: a key file is made in the data folder.
  JOBCAST_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '64 hex digits (32 bytes)')
    .optional(),
});

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
  /** Holds the generated secret key when JOBCAST_SECRET_KEY is not set. */
  secretKeyFile: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; the only place that reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`配置有误 (invalid configuration):\n${lines.join('\n')}`);
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
    secretKeyFile: path.join(dataDir, 'secret.key'),
  };
}
