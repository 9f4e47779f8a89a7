import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { formatBytes, JobcastError } from '@jobcast/core';
import { getSiteByCode } from '@jobcast/db';
import {
  buildEvidencePack,
  buildLedgerWorkbook,
  type Ledger,
  type LedgerLine,
  ledgerLines,
  MISSING_NOTE,
  parseYear,
} from '@jobcast/ledger';
import { LocalMediaStore } from '@jobcast/storage';
import { type CommandContext, print } from '../context.ts';

interface ExportOptions {
  year: string;
  out: string;
  site?: string;
  json?: boolean;
}

function lineOf(text: string): LedgerLine {
  if (!(ledgerLines as readonly string[]).includes(text)) {
    throw new JobcastError('BAD_INPUT', `没有这一类佐证材料：${text}；--line 可选 ${ledgerLines.join('、')}`);
  }
  return text as LedgerLine;
}

/** The file to write, refused before any work when its folder is missing or it names a folder. */
async function outPath(out: string): Promise<string> {
  const target = path.resolve(out);
  const folder = await stat(path.dirname(target)).catch(() => null);
  if (!folder?.isDirectory()) {
    throw new JobcastError('BAD_INPUT', `输出文件夹不存在：${path.dirname(out)}，请先创建`);
  }
  if ((await stat(target).catch(() => null))?.isDirectory()) {
    throw new JobcastError('BAD_INPUT', `${out} 是一个文件夹，请写文件名`);
  }
  return target;
}

/**
 * Writes the file beside its target under a temporary name and renames it at the end: whoever opens
 * the target sees the previous file or the whole new one, never half of it.
 */
async function writeWhole(target: string, write: (temp: string) => Promise<void>): Promise<number> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await write(temp);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return (await stat(target)).size;
}

/** What both exports print first: which file (relative to where the command ran), how big, which year. */
function writtenLines(what: string, file: string, bytes: number, ledger: Ledger): string[] {
  const { site, report } = ledger.summary;
  return [
    `已写出${what}：${file}（${formatBytes(bytes)}）`,
    `${site.name} 服务年度 ${report.serviceYear.start} 至 ${report.serviceYear.lastDay}`,
  ];
}

/** `jobcast export ledger --year YYYY --out FILE.xlsx [--site code] [--json]` */
export async function exportLedgerCommand(ctx: CommandContext, options: ExportOptions): Promise<void> {
  const year = parseYear(options.year, '--year');
  const target = await outPath(options.out);
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const { ledger, data } = await buildLedgerWorkbook(ctx.db, site, year);
  const bytes = await writeWhole(target, (temp) => writeFile(temp, data));
  const file = path.relative(process.cwd(), target);
  const { serviceYear, total } = ledger.summary.report;
  const counts = {
    videos: ledger.videos.length,
    livestreams: ledger.livestreams.length,
    qualifiedLivestreams: ledger.livestreams.filter((row) => row.qualified).length,
    flyers: ledger.flyers.length,
    countedFlyers: ledger.flyers.filter((row) => row.counts).length,
    coverage: ledger.coverage.length,
    aiFairs: ledger.aiFairs.length,
    qualifiedAiFairs: ledger.aiFairs.filter((row) => row.qualified).length,
    onsiteFairs: ledger.onsiteFairs.length,
    qualifiedOnsiteFairs: ledger.onsiteFairs.filter((row) => row.qualified).length,
  };
  const value = { file, bytes, serviceYear: { start: serviceYear.start, lastDay: serviceYear.lastDay }, counts, total };
  print(Boolean(options.json), value, () =>
    [
      ...writtenLines('台账', file, bytes, ledger),
      `短视频 ${counts.videos} 条，直播 ${counts.livestreams} 场（达标 ${counts.qualifiedLivestreams} 场），` +
        `招工小报 ${counts.flyers} 期（计入考核 ${counts.countedFlyers} 期），媒体宣传 ${counts.coverage} 篇，` +
        `AI数智招聘会 ${counts.aiFairs} 场（达标 ${counts.qualifiedAiFairs} 场），` +
        `线下招聘会 ${counts.onsiteFairs} 场（达标 ${counts.qualifiedOnsiteFairs} 场）`,
      `当前得分 ${total.points} / ${total.maxPoints} 分`,
    ].join('\n'),
  );
}

/** `jobcast export evidence --line videos|livestreams|flyers|coverage|aiFairs|onsiteFairs --year YYYY --out FILE.zip [--site code] [--json]` */
export async function exportEvidenceCommand(
  ctx: CommandContext,
  options: ExportOptions & { line: string },
): Promise<void> {
  const line = lineOf(options.line);
  const year = parseYear(options.year, '--year');
  const target = await outPath(options.out);
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const pack = await buildEvidencePack(ctx.db, new LocalMediaStore(ctx.config.mediaDir), site, year, line);
  const bytes = await writeWhole(target, (temp) => pipeline(pack.stream, createWriteStream(temp)));
  const file = path.relative(process.cwd(), target);
  const missing = pack.missing.map((entry) => entry.name);
  const value = { file, bytes, line, items: pack.items, files: pack.files, missing };
  print(Boolean(options.json), value, () =>
    [
      ...writtenLines('佐证材料', file, bytes, pack.ledger),
      `${pack.workbookName}：${pack.items} 条记录；证据文件 ${pack.files} 个` +
        (missing.length > 0 ? `，缺失 ${missing.length} 个（见压缩包内 ${MISSING_NOTE}）` : ''),
    ].join('\n'),
  );
}
