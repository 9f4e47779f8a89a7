import { JobcastError, type JobView, printablePay } from '@jobcast/core';
import {
  createRender,
  type Database,
  getJobsByIds,
  getMediaAsset,
  getRender,
  getSiteById,
  listJobs,
  pickFlyerJobs,
  type Render,
  requestFlyerIssue,
  requeueFailedRender,
  setFlyerIssueRender,
} from '@jobcast/db';
import { type Producer, queues, type RenderRequest, type VideoRequestOptions } from '@jobcast/queue';
import {
  aiScriptNote,
  draftAiScript,
  joinParagraphs,
  type ScriptWriterProvider,
  type ScriptWriterRecord,
  scriptWriterProvider,
  writeSceneScript,
} from '@jobcast/speech';
import { RenderInputError } from './errors.ts';
import { RENDER_STATUS_LABELS } from './labels.ts';
import { checkRequestMedia } from './media-library.ts';
import { clipSceneSeconds, narrationSlots } from './narration.ts';
import { loadTemplate } from './templates/loader.ts';
import { videoScenes } from './templates/schema.ts';

/** What asking for a render needs: the database, the queue and the templates. */
export interface RenderRequestDeps {
  db: Database;
  producer: Producer;
  templatesDir: string;
}

/**
 * Records a render and queues it. The template is checked, the media it names (library music, clips,
 * explainer photos) found on the site, and the jobs resolved now (a filter becomes the ids it
 * matches), so a bad request is refused at once and a retry shows the same jobs.
 */
export async function requestRender(
  deps: RenderRequestDeps,
  siteId: number,
  request: RenderRequest,
  createdBy: number | null = null,
): Promise<Render> {
  if (request.kind === 'flyer') return requestFlyer(deps, siteId, request, createdBy);
  const loaded =
    request.kind === 'video'
      ? await loadTemplate(deps.templatesDir, request.template, 'video').catch(asBadInput)
      : await loadTemplate(deps.templatesDir, request.template, 'poster').catch(asBadInput);
  if (request.kind === 'video') await checkRequestMedia(deps.db, siteId, request);
  const jobIds = await resolveJobs(deps, siteId, request, { ...loaded.template.jobs, title: loaded.template.title });
  const render = await createRender(deps.db, {
    siteId,
    kind: request.kind,
    template: request.template,
    jobIds,
    request,
    createdBy,
  });
  return queued(deps, render);
}

/**
 * The jobs a video or poster request shows: the ids given (each must exist), or what its filter
 * finds now; refused when the template cannot show that many.
 */
async function resolveJobs(
  deps: Pick<RenderRequestDeps, 'db'>,
  siteId: number,
  request: Extract<RenderRequest, { kind: 'video' | 'poster' }>,
  allowed: { min: number; max: number; title: string },
): Promise<number[]> {
  const { min, max } = allowed;
  let jobIds: number[];
  let passedOver = 0;
  if (request.jobIds || !request.filter) {
    // The schema asks for exactly one of jobIds and filter.
    jobIds = (await existingJobs(deps, siteId, request.jobIds ?? [])).map((job) => job.id);
  } else {
    const filter = request.filter;
    const wanted = Math.min(filter.limit, max);
    // A job whose pay the importer could not read is passed over: its pay is never printed raw, and
    // the render would fail on it. A few more are read so that the filter still finds enough.
    const { items } = await listJobs(deps.db, {
      siteId,
      category: filter.category,
      search: filter.search,
      days: filter.days,
      limit: wanted + FILTER_LOOKAHEAD,
    });
    const printable = items.filter((job) => printablePay(job.pay) !== null);
    jobIds = printable.slice(0, wanted).map((job) => job.id);
    // Only told when the filter falls short, and then every job it read was looked at.
    passedOver = items.length - printable.length;
  }
  if (jobIds.length < min || jobIds.length > max) {
    const skipped = passedOver > 0 ? `（另有 ${passedOver} 个岗位的薪资导入时未能识别，已跳过）` : '';
    const wants = min === max ? `只能选 ${min} 个岗位` : `要选 ${min} 到 ${max} 个岗位`;
    const found = `${request.filter ? '筛选条件找到' : '选了'} ${jobIds.length} 个`;
    throw new JobcastError('BAD_INPUT', `「${allowed.title}」${wants}，${found}${skipped}`);
  }
  return jobIds;
}

/** How many more jobs than asked a filter reads, to pass over those whose pay cannot be printed. */
const FILTER_LOOKAHEAD = 50;

/** A script for the media team to read and edit before asking for the render. */
export interface VideoScriptDraft {
  /** A paragraph per scene, a blank line between ('-' for a silent one). */
  script: string;
  /** What the rule writer left out to fit the scenes. */
  omitted: string[];
  /** Who wrote it, when the AI writer's draft passed the check. */
  writer?: ScriptWriterRecord;
  /** Why the AI writer's draft was refused and the rule writer's is given instead. */
  note?: string;
}

/**
 * The narration the rule writer would give a video request (or, with `writer: 'ai'`, the AI writer's draft
 * once checked against the jobs and the scenes), for the media team to read and edit before asking for the
 * render: a paragraph per scene ('-' for a silent one), each fitted to its scene by the estimate of speech.
 * The AI writer failing or being refused is a note beside the rule writer's script, never an error.
 */
export async function draftVideoScript(
  deps: Omit<RenderRequestDeps, 'producer'> & { scriptWriter?: () => ScriptWriterProvider },
  siteId: number,
  request: Extract<RenderRequest, { kind: 'video' }>,
): Promise<VideoScriptDraft> {
  const loaded = await loadTemplate(deps.templatesDir, request.template, 'video').catch(asBadInput);
  const t = loaded.template;
  const jobIds = await resolveJobs(deps, siteId, request, { ...t.jobs, title: t.title });
  const { jobs } = await getJobsByIds(deps.db, siteId, jobIds);
  const site = await getSiteById(deps.db, siteId);
  const { clips, explainer } = request as VideoRequestOptions;
  const planned = videoScenes(t, jobs.length, { clips: clips?.length ?? 0, points: explainer?.points.length });
  // A clip's scene is as long as the part of it shown.
  for (const p of planned) {
    const clip = p.clip === undefined ? undefined : clips?.[p.clip];
    const asset = clip ? await getMediaAsset(deps.db, siteId, clip.asset) : null;
    if (clip && asset && asset.kind !== 'music') {
      p.seconds = clipSceneSeconds(
        { kind: asset.kind, name: asset.displayName, durationS: asset.durationS, inS: clip.inS ?? 0, outS: clip.outS },
        p.scene.seconds,
      );
    }
  }
  const slots = narrationSlots(planned, t.transition.seconds, 1, explainer);
  const scriptSite = { name: site.name, hotline: site.hotline };
  const written = writeSceneScript({ scenes: slots, jobs, site: scriptSite });
  const rule = { script: joinParagraphs(written.paragraphs.map((p) => p || '-')), omitted: written.omitted };
  if ((request as VideoRequestOptions).writer !== 'ai') return rule;
  const draft = await draftAiScript(deps.scriptWriter ?? (() => scriptWriterProvider()), {
    slots,
    jobs,
    site: scriptSite,
  });
  if (!draft.used) return { ...rule, note: aiScriptNote(draft.reason) };
  return { script: joinParagraphs(draft.paragraphs.map((p) => p || '-')), omitted: [], writer: draft.writer };
}

/**
 * The month's flyer: one issue per site and month (asking again makes a new revision of it, with the
 * copies planned as now asked), and the jobs picked now unless named, so a retry prints the same ones.
 */
async function requestFlyer(
  deps: RenderRequestDeps,
  siteId: number,
  request: Extract<RenderRequest, { kind: 'flyer' }>,
  createdBy: number | null,
): Promise<Render> {
  const loaded = await loadTemplate(deps.templatesDir, request.template, 'flyer').catch(asBadInput);
  const { max, gigMax } = loaded.template.jobs;
  let jobIds: number[];
  if (request.jobIds) {
    const jobs = await existingJobs(deps, siteId, request.jobIds);
    jobIds = jobs.map((job) => job.id);
    if (jobIds.length > max) {
      throw new JobcastError('BAD_INPUT', `小报最多放 ${max} 个岗位，给了 ${jobIds.length} 个`);
    }
    const gigs = jobs.filter((job) => job.category === 'gig').length;
    if (gigs > gigMax) {
      throw new JobcastError('BAD_INPUT', `小报的零工专区最多放 ${gigMax} 个零工岗位，给了 ${gigs} 个`);
    }
  } else {
    const picked = await pickFlyerJobs(deps.db, { siteId, month: request.month, max, gigMax });
    jobIds = [...picked.jobIds, ...picked.gigJobIds];
  }
  if (jobIds.length === 0) {
    throw new JobcastError('BAD_INPUT', `${request.month} 没有可以刊登的在招岗位，请先导入岗位`);
  }
  const issue = await requestFlyerIssue(deps.db, { siteId, month: request.month, copiesPlanned: request.copies });
  const render = await createRender(deps.db, {
    siteId,
    kind: 'flyer',
    template: request.template,
    jobIds,
    request,
    flyerIssueId: issue.id,
    createdBy,
  });
  await setFlyerIssueRender(deps.db, issue.id, render.id);
  return queued(deps, render);
}

async function existingJobs(deps: Pick<RenderRequestDeps, 'db'>, siteId: number, ids: number[]): Promise<JobView[]> {
  const { jobs, missing } = await getJobsByIds(deps.db, siteId, ids);
  if (missing.length > 0) {
    throw new JobcastError('NOT_FOUND', `这些岗位不存在：${missing.join('、')}`);
  }
  return jobs;
}

/**
 * Asks again for a render that failed: the same jobs and request, queued anew. Only a failed render
 * can be retried: one still pending would run twice, a done one would be replaced.
 */
export async function retryRender(
  deps: Pick<RenderRequestDeps, 'db' | 'producer'>,
  siteId: number,
  renderId: number,
): Promise<Render> {
  const render = await getRender(deps.db, renderId, siteId);
  const requeued = render.status === 'failed' ? await requeueFailedRender(deps.db, renderId, siteId) : null;
  if (!requeued) {
    const now = render.status === 'failed' ? '已被重新制作' : `当前${RENDER_STATUS_LABELS[render.status]}`;
    throw new JobcastError('CONFLICT', `制作任务 ${renderId} ${now}，只有失败的任务可以重新制作`);
  }
  return queued(deps, requeued);
}

async function queued(deps: Pick<RenderRequestDeps, 'producer'>, render: Render): Promise<Render> {
  // The row is the truth: if Redis is down now, the reconciler queues it later.
  await enqueue(deps.producer, render).catch(() => undefined);
  return render;
}

/**
 * The queue job's id is the row's: a finished run of the same render (a failure is kept for a week)
 * would make BullMQ ignore the new job, so `has` clears it first; a job still waiting is left alone.
 */
async function enqueue(producer: Producer, render: Render): Promise<void> {
  if (await producer.has('render', queues.render.jobId({ renderId: render.id }))) return;
  await producer.enqueue('render', { renderId: render.id, kind: render.kind });
}

function asBadInput(error: unknown): never {
  if (error instanceof RenderInputError) throw new JobcastError('BAD_INPUT', error.message, { code: error.code });
  throw error;
}
