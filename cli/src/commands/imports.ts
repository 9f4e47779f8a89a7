import { type ImportSummary, jobFieldLabel } from '@jobcast/core';
import { importFile } from '@jobcast/ingest';
import { type CommandContext, print } from '../context.ts';

export async function importCommand(
  ctx: CommandContext,
  file: string,
  options: { site?: string; sheet?: string; json?: boolean },
): Promise<void> {
  const progress = progressLine();
  try {
    const summary = await importFile(ctx.db, file, {
      siteCode: options.site ?? ctx.config.siteCode,
      sheet: options.sheet,
      chunkRows: ctx.config.importBatchRows,
      onProgress: progress.update,
    });
    progress.clear();
    print(Boolean(options.json), summary, () => describeImport(summary));
  } finally {
    progress.clear();
  }
}

/** A running count on the terminal (stderr, so --json output stays clean); nothing when not a terminal. */
function progressLine() {
  let shownAt = 0;
  let shown = false;
  return {
    update({ rows }: { rows: number }) {
      if (!process.stderr.isTTY || Date.now() - shownAt < 500) return;
      shownAt = Date.now();
      shown = true;
      process.stderr.write(`\r已读取 ${rows.toLocaleString('en-US')} 行…`);
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}

/** Warnings listed one by one; the console's import page lists more. */
const WARNINGS_SHOWN = 10;

export function describeImport(summary: ImportSummary): string {
  const lines = [
    `批次 #${summary.batchId}  ${summary.file}（${summary.format.toUpperCase()}${summary.encoding ? `，${summary.encoding}` : ''}${summary.sheet ? `，工作表 ${summary.sheet}` : ''}）`,
    summary.message,
  ];
  if (summary.warnings > 0) {
    lines.push(`提示 ${summary.warnings} 条：`);
    const shown = summary.warningSamples.slice(0, WARNINGS_SHOWN);
    for (const w of shown) lines.push(`  第 ${w.row} 行  ${jobFieldLabel(w.field)}：${w.reason}`);
    if (summary.warnings > shown.length) lines.push(`  …另有 ${summary.warnings - shown.length} 条提示未列出`);
  }
  if (summary.rejects.length > 0) lines.push('拒绝的行：');
  for (const reject of summary.rejects)
    lines.push(`  第 ${reject.row} 行  ${jobFieldLabel(reject.field)}：${reject.reason}`);
  if (summary.rejectsTotal > summary.rejects.length) {
    lines.push(`  …另有 ${summary.rejectsTotal - summary.rejects.length} 行被拒绝，未列出`);
  }
  return lines.join('\n');
}
