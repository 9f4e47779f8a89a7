import { OpenAPIHono } from '@hono/zod-openapi';
import { useChineseIssueMessages } from '@jobcast/config';
import { loadSecretBox, type SecretBox } from '@jobcast/live';
import { LocalMediaStore } from '@jobcast/storage';
import { requestId } from 'hono/request-id';
import type { ApiDeps, ApiServices, AppEnv } from './context.ts';
import { answerError, answerNotFound, rejectInvalidInput } from './errors.ts';
import { LiveFeed } from './live-feed.ts';
import { apiRoutes } from './routes/index.ts';
import { bearerSchemeName } from './routing.ts';
import { trustedProxyList } from './web/client-address.ts';
import { mountConsole } from './web/index.ts';
import { LoginLimiter } from './web/login-limit.ts';

function logToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

export interface ComposedApi {
  app: OpenAPIHono<AppEnv>;
  /** Ends the overlays' event streams and their shared LISTEN; the borrowed dependencies stay open. */
  close(): Promise<void>;
}

/** Composes the API from its dependencies; opening, listening and closing belong to the caller. */
export function composeApi(deps: ApiDeps): ComposedApi {
  // A mistyped JOBCAST_TRUSTED_PROXIES stops the start, not the first sign-in.
  trustedProxyList(deps.config.trustedProxies);
  let secrets: Promise<SecretBox> | undefined = deps.secrets && Promise.resolve(deps.secrets);
  const liveFeed = new LiveFeed(deps.config.databaseUrl);
  const services: ApiServices = {
    db: deps.db,
    producer: deps.producer,
    config: deps.config,
    log: deps.log ?? logToStderr,
    store: deps.store ?? new LocalMediaStore(deps.config.mediaDir),
    // Only booking needs the key: reading it lazily keeps every other caller free of the key file.
    secrets: () => {
      secrets ??= loadSecretBox(deps.config).catch((error: unknown) => {
        secrets = undefined;
        throw error;
      });
      return secrets;
    },
    liveFeed,
    loginLimiter: new LoginLimiter(deps.loginLimits),
  };
  // Forms and requests are refused in Chinese: the console shows these reasons as they are.
  useChineseIssueMessages();
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
  mountConsole(app, services);
  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'JobCast API',
      version: '0.1.0',
      description: '岗播 (JobCast): job imports, the job pool, renders and livestreams of a public employment service',
    },
    servers: [{ url: services.config.publicUrl }],
  });

  app.notFound(answerNotFound);
  app.onError(answerError);
  return { app, close: () => liveFeed.close() };
}

/**
 * The API alone, for callers that only make requests (tests, the OpenAPI document). An overlay's
 * event stream opened through it keeps a LISTEN open: serve those through `startApiServer`.
 */
export function createApp(deps: ApiDeps): OpenAPIHono<AppEnv> {
  return composeApi(deps).app;
}
