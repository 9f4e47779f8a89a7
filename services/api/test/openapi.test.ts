import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../src/index.ts';
import { type ApiFixture, body, openFixture } from './fixture.ts';

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: { properties: Record<string, { format?: string }> } }> };
  responses: Record<string, unknown>;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
}

let fx: ApiFixture;
let doc: OpenApiDocument;
beforeAll(async () => {
  fx = await openFixture();
  const response = await fx.app().request('/openapi.json');
  expect(response.status).toBe(200);
  doc = await body<OpenApiDocument>(response);
});
afterAll(async () => {
  await fx.close();
});

describe('/openapi.json', () => {
  it('is an OpenAPI 3 document with the bearer scheme', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('documents every route of the table, guarded ones with the bearer scheme and 401/403', () => {
    for (const { route, access } of apiRoutes) {
      const operation = doc.paths[route.path]?.[route.method];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      if (access === 'public') {
        expect(operation?.security).toBeUndefined();
      } else {
        expect(operation?.security).toEqual([{ bearerAuth: [] }]);
        expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
  });

  it('describes the upload and the job filters', () => {
    const upload = doc.paths['/api/imports']?.post;
    expect(upload?.requestBody?.content['multipart/form-data']?.schema.properties.file?.format).toBe('binary');
    expect(Object.keys(upload?.responses ?? {})).toEqual(expect.arrayContaining(['202', '400', '413', '503']));
    // The media upload is read as a stream by its handler: documented, not validated, as multipart.
    const media = doc.paths['/api/assets']?.post;
    expect(media?.requestBody?.content['multipart/form-data']?.schema.properties.file?.format).toBe('binary');
    expect(Object.keys(media?.responses ?? {})).toEqual(expect.arrayContaining(['201', '400', '413', '422']));
    const filters = doc.paths['/api/jobs']?.get?.parameters?.map((parameter) => parameter.name);
    expect(filters).toEqual(['category', 'search', 'limit', 'offset']);
  });
});
