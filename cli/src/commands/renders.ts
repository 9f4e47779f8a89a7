import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes, JobcastError } from '@jobcast/core';
import { getRender, getSiteByCode, listRenders, type Render } from '@jobcast/db';
import { Producer, renderRequest } from '@jobcast/queue';
import { RENDER_STATUS_LABELS, renderName, requestRender, templateChoices } from '@jobcast/renders';
import { LocalMediaStore } from '@jobcast/storage';
import { type CommandContext, print } from '../context.ts';
import { addLocalFile } from './assets.ts';

interface RenderOptions {
  template?: string;
  month?: string;
  copies?: string;
  jobs?: string;
  filter?: string;
  site?: string;
  voice?: string;
  rate?: string;
  music?: string;
  scriptFile?: string;
  silent?: boolean;
  writer?: string;
  clips?: string;
  wait?: boolean;
  json?: boolean;
}

/** The most a script file may hold: far more than any video speaks, small enough to read at once. */
const SCRIPT_FILE_MAX_BYTES = 64 * 1024;

/** How long --wait stays quiet before saying that no render worker seems to be running. */
const NO_WORKER_HINT_MS = 15_000;

/**
 * `jobcast render video|poster --template NAME (--jobs 1,2 | --filter category=gig,limit=5) [--wait] [--json]`
 * `jobcast render flyer --month 2026-11 [--copies 1000] [--template NAME] [--jobs 1,2] [--wait] [--json]`
 */
export async function renderCommand(ctx: CommandContext, kind: string, options: RenderOptions): Promise<void> {
  if (kind !== 'flyer' && (options.month !== undefined || options.copies !== undefined)) {
    throw new JobcastError('BAD_INPUT', '--month 和 --copies 只用于小报（flyer）');
  }
  if (kind === 'flyer' && options.filter !== undefined) {
    throw new JobcastError('BAD_INPUT', '小报自动挑选岗位，或用 --jobs 指定；不接受 --filter');
  }
  const sound = await soundOptions(kind, options);
  const clips = options.clips === undefined ? undefined : parseClipSpec(options.clips);
  if (clips && kind !== 'video') {
    throw new JobcastError('BAD_INPUT', '--clips 只用于短视频（video）');
  }
  const asked = (assetIds: number[]) =>
    renderRequest.safeParse({
      kind,
      template: options.template,
      month: options.month,
      copies: options.copies === undefined ? undefined : Number(options.copies),
      jobIds: options.jobs === undefined ? undefined : parseJobIds(options.jobs),
      filter: options.filter === undefined ? undefined : filter(options.filter),
      ...sound,
      clips: clips?.map(({ ref: _ref, ...points }, i) => ({ asset: assetIds[i], ...points })),
    });
  // Checked before any file is added to the media library: a typo must not leave clips behind.
  let request = asked((clips ?? []).map((clip) => (typeof clip.ref === 'number' ? clip.ref : 1)));
  if (!request.success) throw badRequest(request.error.issues);
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  if (clips?.some((clip) => typeof clip.ref === 'string')) {
    const ids: number[] = [];
    for (const clip of clips) {
      ids.push(
        typeof clip.ref === 'number' ? clip.ref : (await addLocalFile(ctx, site.id, kindOfFile(clip.ref), clip.ref)).id,
      );
    }
    request = asked(ids);
    if (!request.success) throw badRequest(request.error.issues);
  }
  const producer = new Producer({ redisUrl: ctx.config.redisUrl, prefix: ctx.config.queuePrefix });
  const store = new LocalMediaStore(ctx.config.mediaDir);
  try {
    let render = await requestRender(
      { db: ctx.db, producer, templatesDir: ctx.config.templatesDir },
      site.id,
      request.data,
    );
    if (options.wait) render = await waitFor(ctx, render.id, Boolean(options.json));
    const outcome = describe(render, store);
    const templates = options.json ? [] : await templateChoices(ctx.config.templatesDir);
    print(Boolean(options.json), outcome, () =>
      render.status === 'done'
        ? `制作完成 #${render.id}：${outcome.output}（${summary(render)}）`
        : `已排队 #${render.id}（${renderName(render, templates)}，${render.jobIds.length} 个岗位）；用 jobcast renders list 查看进度`,
    );
    if (render.status === 'failed') {
      throw new JobcastError('BAD_INPUT', `制作失败 #${render.id} [${render.errorCode}]：${render.errorMessage}`);
    }
  } finally {
    await producer.close();
  }
}

/** `jobcast renders list [--json]` */
export async function rendersListCommand(
  ctx: CommandContext,
  options: { site?: string; limit?: string; json?: boolean },
): Promise<void> {
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const store = new LocalMediaStore(ctx.config.mediaDir);
  const renders = await listRenders(ctx.db, site.id, Number(options.limit ?? 50));
  const templates = options.json ? [] : await templateChoices(ctx.config.templatesDir);
  print(
    Boolean(options.json),
    renders.map((r) => describe(r, store)),
    () =>
      renders.length === 0
        ? '还没有制作任务'
        : renders
            .map(
              (r) =>
                `#${r.id} ${renderName(r, templates)} ${RENDER_STATUS_LABELS[r.status]}${r.status === 'running' ? ` ${r.progress}%` : ''}` +
                `${r.errorCode ? ` [${r.errorCode}] ${r.errorMessage}` : ''}`,
            )
            .join('\n'),
  );
}

/** What a person wants to know of a finished render: its size, length or pages, and how big its file is. */
function summary(render: Render): string {
  const parts = [
    render.kind === 'flyer' ? `${render.pages} 页` : `${render.width}×${render.height}`,
    render.durationS !== null ? `${render.durationS} 秒` : null,
    render.bytes !== null ? formatBytes(render.bytes) : null,
  ];
  return parts.filter(Boolean).join('，');
}

/** The fields promised to scripts by `--wait --json`. */
function describe(render: Render, store: LocalMediaStore) {
  return {
    renderId: render.id,
    kind: render.kind,
    status: render.status,
    output: render.outputKey ? store.localPath(render.outputKey) : null,
    cover: render.coverKey ? store.localPath(render.coverKey) : null,
    width: render.width,
    height: render.height,
    durationS: render.durationS,
    pages: render.pages,
    bytes: render.bytes,
    error: render.errorCode ? { code: render.errorCode, message: render.errorMessage } : null,
  };
}

async function waitFor(ctx: CommandContext, renderId: number, quiet: boolean): Promise<Render> {
  const started = Date.now();
  let hinted = false;
  for (;;) {
    const render = await getRender(ctx.db, renderId);
    if (render.status === 'done' || render.status === 'failed') return render;
    if (!hinted && render.status === 'queued' && Date.now() - started > NO_WORKER_HINT_MS) {
      hinted = true;
      if (!quiet || process.stderr.isTTY) {
        process.stderr.write('仍在排队：制作服务是否在运行？请运行 jobcast worker render 或 npm start\n');
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `--jobs 12,15,31` */
export function parseJobIds(text: string): number[] {
  return text.split(',').map((part) => {
    const id = Number(part.trim());
    if (!Number.isInteger(id) || id <= 0)
      throw new JobcastError('BAD_INPUT', `--jobs 须为岗位编号，用逗号分隔：${text}`);
    return id;
  });
}

/** `category=gig,limit=5,days=7,search=电工` */
function filter(text: string): Record<string, string | number> {
  const result: Record<string, string | number> = {};
  for (const part of text.split(',')) {
    const [key, ...rest] = part.split('=');
    const value = rest.join('=').trim();
    if (!key || !value)
      throw new JobcastError('BAD_INPUT', `--filter 写法为 项=值,项=值，如 category=gig,limit=5：${text}`);
    result[key.trim()] = key.trim() === 'limit' || key.trim() === 'days' ? Number(value) : value;
  }
  return result;
}

function badRequest(issues: { path: PropertyKey[]; message: string }[]): JobcastError {
  const problems = issues.map((i) => `${flagOf(i.path)}：${i.message}`);
  return new JobcastError('BAD_INPUT', `制作请求有误：\n  ${problems.join('\n  ')}`);
}

interface ClipSpec {
  /** A media asset's id, or a file on this machine to add first. */
  ref: number | string;
  inS?: number;
  outS?: number;
  sound: 'keep' | 'mute';
}

/**
 * `--clips 12@3-9,./walk.mp4:mute`: media asset ids or files, in the order shown, each optionally
 * with `@in-out` seconds (`@3-`, `@-9` for one end) and `:mute` to drop its own sound.
 */
export function parseClipSpec(text: string): ClipSpec[] {
  return text.split(',').map((part) => {
    let rest = part.trim();
    const sound = /:(mute|keep)$/.exec(rest);
    if (sound) rest = rest.slice(0, sound.index);
    const range = /@(\d+(?:\.\d+)?)?-(\d+(?:\.\d+)?)?$/.exec(rest);
    if (range) rest = rest.slice(0, range.index);
    if (rest === '' || /^\d+@/.test(rest)) {
      throw new JobcastError(
        'BAD_INPUT',
        `--clips 写法为 编号或文件[@开始秒-结束秒][:mute]，用逗号分隔，如 12@3-9,./walk.mp4:mute：“${part}”`,
      );
    }
    return {
      ref: /^[1-9]\d{0,9}$/.test(rest) ? Number(rest) : rest,
      inS: range?.[1] === undefined ? undefined : Number(range[1]),
      outS: range?.[2] === undefined ? undefined : Number(range[2]),
      sound: sound?.[1] === 'mute' ? 'mute' : 'keep',
    };
  });
}

/** A photo by its extension; anything else is taken for a clip (the intake says so if it is not). */
function kindOfFile(file: string): 'clip' | 'photo' {
  return /\.(?:jpe?g|png|webp|heic|heif|avif)$/i.test(file) ? 'photo' : 'clip';
}

function flagOf(path: PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  const flag = head === 'jobIds' ? '--jobs' : head === 'filter' ? `--filter ${rest.join('.')}` : `--${head ?? ''}`;
  return flag.trim();
}

/** --voice, --rate, --music, --script-file, --writer and --silent, as the video request takes them. */
async function soundOptions(kind: string, options: RenderOptions): Promise<Record<string, unknown>> {
  const given = [options.voice, options.rate, options.music, options.scriptFile, options.silent, options.writer].some(
    (v) => v !== undefined,
  );
  if (!given) return {};
  if (kind !== 'video') {
    throw new JobcastError(
      'BAD_INPUT',
      '--voice、--rate、--music、--script-file、--writer、--silent 只用于短视频（video）',
    );
  }
  let script: string | undefined;
  if (options.scriptFile !== undefined) {
    const file = options.scriptFile;
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new JobcastError('BAD_INPUT', `--script-file：找不到文件 ${path.resolve(file)}`);
    if (info.size > SCRIPT_FILE_MAX_BYTES) {
      throw new JobcastError('BAD_INPUT', `--script-file：${file} 太大（最多 64 KB）`);
    }
    const bytes = await readFile(file);
    script = new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/^\uFEFF/, '');
    if (script.includes('\uFFFD')) {
      throw new JobcastError('BAD_INPUT', `--script-file：${file} 不是 UTF-8 文本，请另存为 UTF-8`);
    }
  }
  const [provider, voice] = (options.voice ?? '').split(':', 2);
  return {
    script,
    voice:
      options.voice !== undefined || options.rate !== undefined
        ? {
            provider: provider || undefined,
            voice: voice || undefined,
            rate: options.rate === undefined ? undefined : Number(options.rate),
          }
        : undefined,
    music: options.music,
    silent: options.silent,
    writer: options.writer,
  };
}
