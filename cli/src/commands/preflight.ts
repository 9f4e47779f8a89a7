import net from 'node:net';
import type { Config } from '@jobcast/config';
import { isJobcastError, JobcastError } from '@jobcast/core';
import { inspectDatabase } from '@jobcast/db';
import { pingRedis } from '@jobcast/queue';
import type { Which } from './services.ts';

/**
 * Start-up checks: before a command starts any service, PostgreSQL (reachable, migrated), Redis
 * (answers PING) and the ports it will listen on (free) are checked, side by side, each within a
 * few seconds. What fails is named with the setting or command that fixes it; nothing is started.
 */

const CHECK_TIMEOUT_MS = 3000;

export interface PreflightOptions {
  /** The command migrates the database itself first (`start --demo`): missing migrations are fine. */
  migrates?: boolean;
}

export async function preflight(config: Config, which: Which, options: PreflightOptions = {}): Promise<void> {
  const needsRedis = which.api || which.ingest || which.render;
  const [database, redis, ports] = await Promise.all([
    checkDatabase(config, which, options),
    needsRedis ? checkRedis(config.redisUrl) : undefined,
    checkPorts(config, which),
  ]);
  // A stream service already running explains its ports being taken: say that instead.
  const problems = [
    ...database.problems,
    ...(redis ? [redis] : []),
    ...ports.filter((port) => !(database.streamServiceRunning && port.stream)).map((port) => port.problem),
  ];
  if (problems.length > 0) {
    throw new JobcastError(
      'UNAVAILABLE',
      `启动前检查未通过，没有启动任何服务：\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
}

/** A URL as it may be printed: its password replaced. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    // libpq-style settings also take a password as a query parameter.
    for (const name of [...url.searchParams.keys()]) {
      if (/password/i.test(name)) url.searchParams.set(name, '***');
    }
    return url.toString();
  } catch {
    return '（无法解析的地址）';
  }
}

/** Why a connection failed, in a few words. */
function reason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return '连接被拒绝，没有程序在这个地址监听';
    case 'ETIMEDOUT':
      return `${CHECK_TIMEOUT_MS / 1000} 秒内没有应答`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return '找不到这个主机';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return '网络不通';
    default:
      return error.message;
  }
}

async function checkDatabase(
  config: Config,
  which: Which,
  options: PreflightOptions,
): Promise<{ problems: string[]; streamServiceRunning: boolean }> {
  const shown = `DATABASE_URL=${redactUrl(config.databaseUrl)}`;
  try {
    const state = await inspectDatabase(config.databaseUrl, {
      timeoutMs: CHECK_TIMEOUT_MS,
      streamService: which.stream,
    });
    const problems: string[] = [];
    if (state.pendingMigrations.length > 0 && !options.migrates) {
      problems.push(
        `数据库还有 ${state.pendingMigrations.length} 个迁移没有执行（${state.pendingMigrations.join('、')}；${shown}）：请运行 npx jobcast db migrate（或 npm run setup）`,
      );
    }
    const stream = state.streamService;
    if (stream) {
      problems.push(
        `另一个直播推流服务正在使用这个数据库（${stream.name}${stream.address ? `，来自 ${stream.address}` : ''}，${stream.since.toISOString()} 起）：请先停止那个服务`,
      );
    }
    return { problems, streamServiceRunning: Boolean(stream) };
  } catch (error) {
    if (isJobcastError(error)) return { problems: [error.message], streamServiceRunning: false };
    const failure = error as NodeJS.ErrnoException;
    if (failure.code === '3D000' && options.migrates) return { problems: [], streamServiceRunning: false };
    const name = decodeURIComponent(new URL(config.databaseUrl).pathname.slice(1));
    const problem =
      failure.code === '3D000'
        ? `数据库 ${name} 不存在（${shown}）：请运行 npx jobcast db migrate 创建它，或检查 DATABASE_URL`
        : failure.code === '28P01' || failure.code === '28000'
          ? `PostgreSQL 拒绝了登录（${shown}）：请检查 DATABASE_URL 中的用户名和密码`
          : failure.code && /^[0-9A-Z]{5}$/.test(failure.code) && !failure.code.startsWith('E')
            ? `PostgreSQL 出错（${shown}）：${failure.message}`
            : `无法连接 PostgreSQL（${shown}）：${reason(failure)}。请启动 PostgreSQL（本机可运行 npm run setup），或设置 DATABASE_URL`;
    return { problems: [problem], streamServiceRunning: false };
  }
}

async function checkRedis(redisUrl: string): Promise<string | undefined> {
  const shown = `REDIS_URL=${redactUrl(redisUrl)}`;
  try {
    await pingRedis(redisUrl, CHECK_TIMEOUT_MS);
    return undefined;
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(failure.message)) {
      return `Redis 要求密码，或密码不对（${shown}）：请把密码写进 REDIS_URL，如 redis://:密码@主机:6379`;
    }
    if (failure.code && /^E[A-Z]+$/.test(failure.code)) {
      return `无法连接 Redis（${shown}）：${reason(failure)}。请启动 Redis：redis-server --daemonize yes（本机可运行 npm run setup），或设置 REDIS_URL`;
    }
    return `Redis 出错（${shown}）：${failure.message}`;
  }
}

interface Port {
  what: string;
  port: number;
  host: string | undefined;
  setting: string;
  hostSetting: string;
  stream: boolean;
}

async function checkPorts(config: Config, which: Which): Promise<{ problem: string; stream: boolean }[]> {
  const ports: Port[] = [];
  if (which.api) {
    ports.push({
      what: 'API 和控制台',
      port: config.port,
      host: config.listenHost,
      setting: 'PORT',
      hostSetting: 'JOBCAST_LISTEN_HOST',
      stream: false,
    });
  }
  if (which.stream) {
    ports.push(
      {
        what: 'RTMP 推流',
        port: config.rtmpPort,
        host: config.rtmpHost,
        setting: 'JOBCAST_RTMP_PORT',
        hostSetting: 'JOBCAST_RTMP_HOST',
        stream: true,
      },
      {
        what: '直播预览',
        port: config.streamHttpPort,
        host: config.streamHttpHost,
        setting: 'JOBCAST_STREAM_HTTP_PORT',
        hostSetting: 'JOBCAST_STREAM_HTTP_HOST',
        stream: true,
      },
    );
  }
  // Port 0 asks the system for a free one when the service starts: nothing to check.
  const fixed = ports.filter((entry) => entry.port !== 0);
  const problems: { problem: string; stream: boolean }[] = [];
  for (const [index, entry] of fixed.entries()) {
    const other = fixed.slice(0, index).find((earlier) => earlier.port === entry.port);
    if (other) {
      problems.push({
        problem: `端口 ${entry.port} 同时设给了${other.what}和${entry.what}：请给 ${other.setting} 和 ${entry.setting} 设置不同的端口`,
        stream: false,
      });
    }
  }
  const failures = await Promise.all(fixed.map(async (entry) => ({ entry, error: await listenProbe(entry) })));
  for (const { entry, error } of failures) {
    if (!error) continue;
    const problem =
      error.code === 'EADDRINUSE'
        ? `端口 ${entry.port}（${entry.what}）已被占用：请停止占用它的程序，或设置 ${entry.setting}=其他端口`
        : error.code === 'EACCES'
          ? `没有权限监听端口 ${entry.port}（${entry.what}）：请设置 ${entry.setting}=1024 以上的端口`
          : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
            ? `无法在地址 ${entry.host} 上监听（${entry.what}）：本机没有这个地址，请检查 ${entry.hostSetting}`
            : `无法监听端口 ${entry.port}（${entry.what}）：${error.message}`;
    problems.push({ problem, stream: entry.stream });
  }
  return problems;
}

/** Listens on the port the way the service will, and closes at once; the error if it cannot. */
function listenProbe(entry: Port): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    probe.listen({ port: entry.port, host: entry.host }, () => probe.close(() => resolve(undefined)));
  });
}
