import type { JobView } from '@jobcast/core';
import type { LoadedTemplate } from '@jobcast/renders';
import sharp from 'sharp';
import type { SiteSettings } from '../bindings.ts';
import { checkJobCount, type DrawContext, drawElement, pageSvg } from '../draw.ts';

export interface PosterImage {
  png: Buffer;
  jpeg: Buffer;
  width: number;
  height: number;
}

/** A poster as SVG: every piece of user text fitted with the real font and escaped. */
export async function posterSvg(loaded: LoadedTemplate, jobs: readonly JobView[], site: SiteSettings): Promise<string> {
  const t = loaded.template;
  checkJobCount(t.title, t.jobs, jobs.length);
  const context: DrawContext = { dir: loaded.dir, templateTitle: t.title, colors: t.colors, site };
  const page = await pageSvg(t.size, t.background, t.elements, jobs[0], context);
  const parts = [page.slice(0, page.lastIndexOf('</svg>'))];
  if (t.jobList) {
    const rowHeight = t.jobList.box.height / t.jobList.rows;
    for (const [i, job] of jobs.slice(0, t.jobList.rows).entries()) {
      const origin = { x: t.jobList.box.x, y: t.jobList.box.y + i * rowHeight };
      for (const element of t.jobList.elements) parts.push(await drawElement(element, origin, job, context));
    }
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** The poster as PNG and JPEG, checked to be the template's size. */
export async function renderPoster(
  loaded: LoadedTemplate,
  jobs: readonly JobView[],
  site: SiteSettings,
): Promise<PosterImage> {
  const svg = Buffer.from(await posterSvg(loaded, jobs, site));
  // Drawn once, then encoded twice at the same time: drawing the SVG is most of the work (measured:
  // 125 ms a poster when each format drew it again, against the 60 ms target).
  const raster = await sharp(svg, { density: 72 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const pixels = () => sharp(raster.data, { raw: raster.info });
  const [png, jpeg] = await Promise.all([
    pixels().png({ compressionLevel: 3 }).toBuffer({ resolveWithObject: true }),
    pixels().jpeg({ quality: 90 }).toBuffer(),
  ]);
  const { width, height } = loaded.template.size;
  if (png.info.width !== width || png.info.height !== height) {
    throw new Error(`海报尺寸不对：做出来是 ${png.info.width}×${png.info.height}，应为 ${width}×${height}`);
  }
  return { png: png.data, jpeg, width, height };
}
