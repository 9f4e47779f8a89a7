/** @jsxImportSource hono/jsx */
import { Readable } from 'node:stream';
import { JobcastError } from '@jobcast/core';
import { getSiteByCode, type Site } from '@jobcast/db';
import { KPI_RULES } from '@jobcast/kpi';
import {
  buildEvidencePack,
  buildLedgerWorkbook,
  currentServiceYear,
  type LedgerLine,
  ledgerLines,
  parseYear,
} from '@jobcast/ledger';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { EXPORT_ROLES } from '../../roles.ts';
import { definePage, type PageRoute } from '../page.tsx';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * `Content-Disposition` for a download: the Chinese name for browsers that read RFC 5987's
 * `filename*` (every current one), and an ASCII name for the rest.
 */
export function attachment(name: string, asciiName: string): string {
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encoded}`;
}

/** The signed-in user's site and the service year asked for (`?year=`), by default the one under way. */
async function siteAndYear(c: Context<AppEnv>): Promise<{ site: Site; year: number }> {
  const site = await getSiteByCode(c.var.services.db, c.var.principal.siteCode);
  const asked = c.req.query('year');
  return { site, year: asked ? parseYear(asked, 'year') : currentServiceYear(site) };
}

function downloadHeaders(type: string, disposition: string): Record<string, string> {
  return {
    'Content-Type': type,
    'Content-Disposition': disposition,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
}

const ledgerDownload = definePage(EXPORT_ROLES, 'get', '/export/ledger.xlsx', async (c) => {
  const { site, year } = await siteAndYear(c);
  const { data } = await buildLedgerWorkbook(c.var.services.db, site, year);
  return c.body(new Uint8Array(data), 200, {
    ...downloadHeaders(XLSX_TYPE, attachment(`台账-${site.code}-${year}.xlsx`, `ledger-${site.code}-${year}.xlsx`)),
    'Content-Length': String(data.length),
  });
});

/** `videos.zip` → videos: the pack's address names its line. */
function packLine(file: string): LedgerLine {
  const line = file.replace(/\.zip$/, '');
  if (!file.endsWith('.zip') || !(ledgerLines as readonly string[]).includes(line)) {
    throw new JobcastError(
      'NOT_FOUND',
      `没有这一类佐证材料：${file.slice(0, 40)}（可选 ${ledgerLines.map((l) => `${l}.zip`).join('、')}）`,
    );
  }
  return line as LedgerLine;
}

const evidenceDownload = definePage(EXPORT_ROLES, 'get', '/export/evidence/:file', async (c) => {
  const line = packLine(c.req.param('file') ?? '');
  const { site, year } = await siteAndYear(c);
  const { services } = c.var;
  const pack = await buildEvidencePack(services.db, services.store, site, year, line);
  // The ZIP is streamed as it is made: a failure half-way can only cut the download short, so it is logged.
  pack.stream.on('error', (error) => services.log(`evidence pack ${line} ${year} failed: ${String(error)}`));
  const label = KPI_RULES[line].label;
  return c.body(
    Readable.toWeb(pack.stream) as ReadableStream,
    200,
    downloadHeaders(
      'application/zip',
      attachment(`佐证材料-${label}-${site.code}-${year}.zip`, `evidence-${line}-${site.code}-${year}.zip`),
    ),
  );
});

export const exportPages: PageRoute[] = [ledgerDownload, evidenceDownload];
