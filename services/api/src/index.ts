export { createApp } from './app.ts';
export type { ApiDeps, AppEnv } from './context.ts';
export { httpStatusOf } from './errors.ts';
export { fairCounts, toFairDetailView, toFairPhotoView, toFairView } from './routes/fairs/view.ts';
export { apiRoutes } from './routes/index.ts';
export { type Access, type ApiRoute, anyRole } from './routing.ts';
export { type ApiServer, startApiServer } from './server.ts';
export { pageRoutes } from './web/index.ts';
export type { PageRoute } from './web/page.tsx';
