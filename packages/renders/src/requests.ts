import { JobcastError } from '@jobcast/core';
import { createRender, type Database, getJobsByIds, listJobs, type Render } from '@jobcast/db';
import type { Producer, RenderRequest } from '@jobcast/queue';
import { RenderInputError } from './errors.ts';
import { loadTemplate } from './templates/loader.ts';

/** What asking for a render needs: the database, the queue and the templates. */
export interface RenderRequestDeps {
  db: Database;
  producer: Producer;
  templatesDir: string;
}

/**
 * Records a render and queues it. The template is checked and the jobs resolved now (a filter
 * becomes the ids it matches), so a bad request is refused at once and a retry shows the same jobs.
 */
export async function requestRender(
  deps: RenderRequestDeps,
  siteId: number,
  request: RenderRequest,
  createdBy: number | null = null,
): Promise<Render> {
  // Posters only, so far: video and the flyer join as their renderers land.
  if (request.kind !== 'poster') {
    throw new JobcastError(
      'BAD_INPUT',
      `暂不能制作 ${request.kind}，目前可以制作：海报 poster (${request.kind} renders are not available yet)`,
    );
  }
  const loaded = await loadTemplate(deps.templatesDir, request.template, 'poster').catch(asBadInput);
  let jobIds: number[];
  if (request.jobIds || !request.filter) {
    // The schema asks for exactly one of jobIds and filter.
    const ids = request.jobIds ?? [];
    const { missing } = await getJobsByIds(deps.db, siteId, ids);
    if (missing.length > 0) {
      throw new JobcastError(
        'NOT_FOUND',
        `这些岗位不存在：${missing.join('、')} (no such jobs: ${missing.join(', ')})`,
      );
    }
    jobIds = ids;
  } else {
    const filter = request.filter;
    const { items } = await listJobs(deps.db, {
      siteId,
      category: filter.category,
      search: filter.search,
      days: filter.days,
      limit: Math.min(filter.limit, loaded.template.jobs.max),
    });
    jobIds = items.map((job) => job.id);
  }
  const { min, max } = loaded.template.jobs;
  if (jobIds.length < min || jobIds.length > max) {
    throw new JobcastError(
      'BAD_INPUT',
      `模板 ${request.template} 需要 ${min}–${max} 个岗位，${request.filter ? '筛选条件找到' : '给了'} ${jobIds.length} 个 (the template takes ${min} to ${max} jobs)`,
    );
  }
  const render = await createRender(deps.db, {
    siteId,
    kind: 'poster',
    template: request.template,
    jobIds,
    request,
    createdBy,
  });
  // The row is the truth: if Redis is down now, the reconciler queues it later.
  await deps.producer.enqueue('render', { renderId: render.id, kind: render.kind }).catch(() => undefined);
  return render;
}

function asBadInput(error: unknown): never {
  if (error instanceof RenderInputError) throw new JobcastError('BAD_INPUT', error.message, { code: error.code });
  throw error;
}
