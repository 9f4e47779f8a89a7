import { OpenAPIHono } from '@hono/zod-openapi';
import { LocalMediaStore } from '@jobcast/storage';
import { requestId } from 'hono/request-id';
import type { ApiDeps, ApiServices, AppEnv } from './context.ts';
import { answerError, answerNotFound, rejectInvalidInput } from './errors.ts';
import { apiRoutes } from './routes/index.ts';
import { bearerSchemeName } from './routing.ts';

function logToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Composes the API from its dependencies; opening, listening and closing belong to the caller. */
export function createApp(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const services: ApiServices = {
    ...deps,
    log: deps.log ?? logToStderr,
    store: deps.store ?? new LocalMediaStore(deps.config.mediaDir),
  };
  const app = new OpenAPIHono<AppEnv>({ defaultHook: rejectInvalidInput });

  app.use(requestId());
  app.use(async (c, next) => {
    c.set('services', services);
    await next();
  });

  app.openAPIRegistry.registerComponent('securitySchemes', bearerSchemeName, {
    type: 'http',
    scheme: 'bearer',
    description: 'A token from POST /api/auth/login or `jobcast users token`',
  });
  app.openapiRoutes(apiRoutes);
  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'JobCast API',
      version: '0.1.0',
      description: '岗播 (JobCast): job imports and the job pool of a public employment service',
    },
    servers: [{ url: services.config.publicUrl }],
  });

  app.notFound(answerNotFound);
  app.onError(answerError);
  return app;
}
