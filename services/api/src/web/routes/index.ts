import type { PageRoute } from '../page.tsx';
import { dashboardPages } from './dashboard.tsx';
import { exportPages } from './exports.tsx';
import { fairPages } from './fairs.tsx';
import { flyerPages } from './flyers.tsx';
import { jobPages } from './jobs.tsx';
import { livePages } from './live/index.ts';
import { loginPageRoute, loginSubmitRoute, logoutRoute } from './login.tsx';
import { publicationPages } from './publications.tsx';
import { renderPages } from './renders.tsx';
import { screenPages } from './screens.tsx';

/** The console's pages by section; each section's file declares its own. */
export const consolePages: readonly PageRoute[] = [
  loginPageRoute,
  loginSubmitRoute,
  logoutRoute,
  ...dashboardPages,
  ...jobPages,
  ...renderPages,
  ...publicationPages,
  ...livePages,
  ...screenPages,
  ...fairPages,
  ...flyerPages,
  ...exportPages,
];
