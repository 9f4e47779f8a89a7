import type { ApiRoute } from '../routing.ts';
import { createAsset } from './assets/create.ts';
import { getAssetFile } from './assets/file.ts';
import { getAsset } from './assets/get.ts';
import { listAssets } from './assets/list.ts';
import { getAssetThumbnail } from './assets/thumbnail.ts';
import { login } from './auth/login.ts';
import { previewPlayerScript } from './console/player-script.ts';
import { flyerDistributed } from './flyers/distributed.ts';
import { listFlyers } from './flyers/list.ts';
import { flyerPrinted } from './flyers/printed.ts';
import { healthz } from './health/healthz.ts';
import { readyz } from './health/readyz.ts';
import { createImport } from './imports/create.ts';
import { getImport } from './imports/get.ts';
import { listImports } from './imports/list.ts';
import { getJob } from './jobs/get.ts';
import { listJobs } from './jobs/list.ts';
import { getKpi } from './kpi/get.ts';
import { bookLive } from './live/book.ts';
import { endLive } from './live/end.ts';
import { getLiveEvidence } from './live/evidence.ts';
import { getLive } from './live/get.ts';
import { replaceLiveKey } from './live/key.ts';
import { listLive } from './live/list.ts';
import { presentNextLiveJob } from './live/next.ts';
import { presentLiveJob } from './live/present.ts';
import { overlayEvents } from './overlay/events.ts';
import { overlayPage } from './overlay/page.ts';
import { createCoverage } from './publications/coverage-create.ts';
import { listCoverage } from './publications/coverage-list.ts';
import { createPublication } from './publications/create.ts';
import { listPublications } from './publications/list.ts';
import { createRender } from './renders/create.ts';
import { getRender } from './renders/get.ts';
import { listRenders } from './renders/list.ts';
import { getRenderOutput } from './renders/output.ts';
import { retryRender } from './renders/retry.ts';
import { draftRenderScript } from './renders/script.ts';
import { voicePreview } from './voices/preview.ts';

/** Every endpoint with who may call it: the route table is the role table. */
export const apiRoutes: readonly ApiRoute[] = [
  healthz,
  readyz,
  login,
  createImport,
  listImports,
  getImport,
  listJobs,
  getJob,
  createRender,
  listRenders,
  getRender,
  getRenderOutput,
  retryRender,
  draftRenderScript,
  voicePreview,
  createAsset,
  listAssets,
  getAsset,
  getAssetFile,
  getAssetThumbnail,
  createPublication,
  listPublications,
  createCoverage,
  listCoverage,
  listFlyers,
  flyerPrinted,
  flyerDistributed,
  bookLive,
  listLive,
  getLive,
  presentLiveJob,
  presentNextLiveJob,
  endLive,
  replaceLiveKey,
  getLiveEvidence,
  getKpi,
  overlayPage,
  overlayEvents,
  previewPlayerScript,
];
