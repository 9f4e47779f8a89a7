import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getFlyerIssue, type RenderOutput } from '@jobcast/db';
import { loadTemplate, RenderInputError } from '@jobcast/renders';
import { outputKeys, type ProduceContext } from '../service.ts';
import { renderFlyer } from './flyer-thread.ts';
import { checkFlyerPdf, flyerPreviews } from './pdf-tools.ts';

/** The monthly flyer: a print-ready PDF and a PNG preview of each page. */
export async function produceFlyer(context: ProduceContext): Promise<RenderOutput> {
  const { deps, render, jobs, site } = context;
  if (render.flyerIssueId === null) {
    throw new RenderInputError('MISSING_FIELD', `制作 #${render.id} 没有对应的一期招工小报`);
  }
  const loaded = await loadTemplate(deps.templatesDir, render.template, 'flyer');
  const issue = await getFlyerIssue(deps.db, render.flyerIssueId);
  await context.progress(10);
  const flyer = await renderFlyer(loaded, {
    jobs,
    // The issue's month is stored as its first day.
    issue: { number: issue.issueNumber, month: issue.month.slice(0, 7), revision: issue.revision },
    site,
  });
  await context.progress(60);

  const keys = outputKeys(render.id);
  const scratch = await mkdtemp(path.join(tmpdir(), `jobcast-flyer-${render.id}-`));
  try {
    let previews: string[] = [];
    // Checked and drawn from the file as written, before it is moved into place.
    const stored = await deps.store.write(keys.flyer, async (tempPath) => {
      await writeFile(tempPath, flyer.pdf);
      await checkFlyerPdf(tempPath, flyer);
      previews = await flyerPreviews(tempPath, scratch, flyer);
    });
    await context.progress(90);
    const previewKeys: string[] = [];
    for (const [i, file] of previews.entries()) {
      const key = keys.flyerPreview(i + 1);
      await deps.store.writeBuffer(key, await readFile(file));
      previewKeys.push(key);
    }
    return {
      outputKey: keys.flyer,
      coverKey: previewKeys[0] ?? null,
      previewKeys,
      mimeType: 'application/pdf',
      // The trimmed sheet in PDF points, rounded (A4: 595×842); the file's pages are larger by the bleed.
      width: Math.round(flyer.widthPt),
      height: Math.round(flyer.heightPt),
      pages: flyer.pages,
      bytes: stored.bytes,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
