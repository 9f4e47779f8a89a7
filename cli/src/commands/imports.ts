import type { ImportSummary } from '@jobcast/core';
import { importFile } from '@jobcast/ingest';
import { type CommandContext, print } from '../context.ts';

export async function importCommand(
  ctx: CommandContext,
  file: string,
  options: { site?: string; sheet?: string; json?: boolean },
): Promise<void> {
  const summary = await importFile(ctx.db, file, {
    siteCode: options.site ?? ctx.config.siteCode,
    sheet: options.sheet,
    chunkRows: ctx.config.importBatchRows,
  });
  print(Boolean(options.json), summary, () => describeImport(summary));
}

export function describeImport(summary: ImportSummary): string {
  const lines = [
    `批次 #${summary.batchId}  ${summary.file}  (${summary.format}${summary.encoding ? `, ${summary.encoding}` : ''}${summary.sheet ? `, 工作表 ${summary.sheet}` : ''})`,
    summary.message,
  ];
  if (summary.warnings > 0) lines.push(`提示 ${summary.warnings} 条 (warnings)`);
  for (const reject of summary.rejects) lines.push(`  第 ${reject.row} 行  ${reject.field}：${reject.reason}`);
  if (summary.rejectsTotal > summary.rejects.length) {
    lines.push(`  …另有 ${summary.rejectsTotal - summary.rejects.length} 行被拒绝 (more rejects not listed)`);
  }
  return lines.join('\n');
}
