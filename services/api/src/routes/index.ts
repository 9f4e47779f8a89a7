import type { ApiRoute } from '../routing.ts';
import { createAsset } from './assets/create.ts';
import { getAssetFile } from './assets/file.ts';
import { getAsset } from './assets/get.ts';
import { listAssets } from './assets/list.ts';
import { getAssetThumbnail } from './assets/thumbnail.ts';
import { login } from './auth/login.ts';
import { previewPlayerScript } from './console/player-script.ts';
import { createFairRoute } from './fairs/create.ts';
import { deleteFairRoute } from './fairs/delete.ts';
import { getFairDocumentRoute, uploadFairDocumentRoute } from './fairs/document.ts';
import { setFairEmployersRoute } from './fairs/employers.ts';
import { getFairRoute } from './fairs/get.ts';
import { listFairsRoute } from './fairs/list.ts';
import { uploadFairPhotoRoute } from './fairs/photo-create.ts';
import { deleteFairPhotoRoute } from './fairs/photo-delete.ts';
import { getFairPhotoRoute, getFairPhotoThumbnailRoute } from './fairs/photo-file.ts';
import { setFairPlaylistRoute } from './fairs/playlist.ts';
import { updateFairRoute } from './fairs/update.ts';
import { flyerDistributed } from './flyers/distributed.ts';
import { listFlyers } from './flyers/list.ts';
import { flyerNumber } from './flyers/number.ts';
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
import {
  playerHeartbeat,
  playerManifest,
  playerMedia,
  playerPairingState,
  playerPlays,
  startPlayerPairing,
} from './player/api.ts';
import { playerPage, playerRedirect, playerScript, playerServiceWorker, playerStyle } from './player/page.ts';
import { createCoverage } from './publications/coverage-create.ts';
import { getCoverageEvidence, uploadCoverageEvidence } from './publications/coverage-evidence.ts';
import { listCoverage } from './publications/coverage-list.ts';
import { createPublication } from './publications/create.ts';
import { listPublications } from './publications/list.ts';
import { createRender } from './renders/create.ts';
import { getRender } from './renders/get.ts';
import { listRenders } from './renders/list.ts';
import { getRenderOutput } from './renders/output.ts';
import { retryRender } from './renders/retry.ts';
import { draftRenderScript } from './renders/script.ts';
import { createScreenGroupRoute } from './screens/groups-create.ts';
import { setScreenGroupItemsRoute } from './screens/groups-items.ts';
import { listScreenGroupsRoute } from './screens/groups-list.ts';
import { setScreenGroupLiveRoute } from './screens/groups-live.ts';
import { updateScreenGroupRoute } from './screens/groups-update.ts';
import { listScreensRoute } from './screens/list.ts';
import { pairScreen } from './screens/pair.ts';
import { screenPlaysRoute } from './screens/plays.ts';
import { revokeScreenRoute } from './screens/revoke.ts';
import { updateScreenRoute } from './screens/update.ts';
import { getSiteVoice } from './site/voice-get.ts';
import { setSiteVoiceRoute } from './site/voice-set.ts';
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
  getSiteVoice,
  setSiteVoiceRoute,
  createAsset,
  listAssets,
  getAsset,
  getAssetFile,
  getAssetThumbnail,
  createPublication,
  listPublications,
  createCoverage,
  listCoverage,
  uploadCoverageEvidence,
  getCoverageEvidence,
  listFlyers,
  flyerPrinted,
  flyerDistributed,
  flyerNumber,
  bookLive,
  listLive,
  getLive,
  presentLiveJob,
  presentNextLiveJob,
  endLive,
  replaceLiveKey,
  getLiveEvidence,
  getKpi,
  listFairsRoute,
  getFairRoute,
  createFairRoute,
  updateFairRoute,
  setFairEmployersRoute,
  uploadFairPhotoRoute,
  getFairPhotoRoute,
  getFairPhotoThumbnailRoute,
  deleteFairPhotoRoute,
  uploadFairDocumentRoute,
  getFairDocumentRoute,
  setFairPlaylistRoute,
  deleteFairRoute,
  listScreensRoute,
  pairScreen,
  updateScreenRoute,
  revokeScreenRoute,
  listScreenGroupsRoute,
  createScreenGroupRoute,
  updateScreenGroupRoute,
  setScreenGroupItemsRoute,
  setScreenGroupLiveRoute,
  screenPlaysRoute,
  overlayPage,
  overlayEvents,
  previewPlayerScript,
  playerRedirect,
  playerPage,
  playerScript,
  playerStyle,
  playerServiceWorker,
  startPlayerPairing,
  playerPairingState,
  playerManifest,
  playerMedia,
  playerHeartbeat,
  playerPlays,
];
