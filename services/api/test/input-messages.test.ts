/**
 * A refused input is explained in Chinese: zod's reasons, the field named as the console names it,
 * and the API's answer to a bad request readable by the person who sent it.
 */
import { z } from '@hono/zod-openapi';
import { useChineseIssueMessages } from '@jobcast/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../src/errors.ts';
import { describeIssues, FIELD_LABELS, fieldLabel } from '../src/input-messages.ts';
import { type ApiFixture, body, openFixture } from './fixture.ts';

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: Schema | boolean;
};
interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { parameters?: { name: string }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>
  >;
  components: { schemas?: Record<string, Schema> };
}

let fx: ApiFixture;
let doc: OpenApiDocument;
beforeAll(async () => {
  fx = await openFixture();
  doc = await body<OpenApiDocument>(await fx.app().request('/openapi.json'));
});
afterAll(async () => {
  await fx.close();
});

/** Every property name a request may carry: parameters, and the body's fields at any depth. */
function requestFieldNames(): Set<string> {
  const names = new Set<string>();
  const seen = new Set<Schema>();
  const walk = (schema: Schema | undefined) => {
    if (!schema || seen.has(schema)) return;
    seen.add(schema);
    if (schema.$ref) walk(doc.components.schemas?.[schema.$ref.split('/').pop() ?? '']);
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      names.add(name);
      walk(property);
    }
    walk(schema.items);
    for (const part of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) walk(part);
    if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties);
  };
  for (const operations of Object.values(doc.paths)) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) names.add(parameter.name);
      for (const content of Object.values(operation.requestBody?.content ?? {})) walk(content.schema);
    }
  }
  return names;
}

describe('field names', () => {
  it('every field a request takes has a Chinese name', () => {
    // Headers are named by protocol, not by people.
    const unnamed = [...requestFieldNames()].filter(
      (name) => !FIELD_LABELS[name] && !['authorization', 'idempotency-key'].includes(name.toLowerCase()),
    );
    expect(unnamed).toEqual([]);
  });
  it('reads a path as a person would', () => {
    expect(fieldLabel(['employers', 2, 'name'])).toBe('用人单位第 3 项的名称');
    expect(fieldLabel(['windows', '0', 'days'])).toBe('播放时段第 1 项的星期');
    expect(fieldLabel([], '查询参数')).toBe('查询参数');
  });
});

describe("zod's reasons", () => {
  useChineseIssueMessages();
  const reason = (schema: z.ZodType, value: unknown) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? 'accepted' : describeIssues(parsed.error.issues);
  };
  it.each([
    [z.object({ title: z.string() }), {}, '标题：不能为空'],
    [z.object({ title: z.string().max(3) }), { title: '招聘会呀' }, '标题：最多 3 个字'],
    [z.object({ title: z.string().min(1) }), { title: '' }, '标题：不能为空'],
    [z.object({ limit: z.coerce.number().int().min(1) }), { limit: '0' }, '数量上限：不能小于 1'],
    [z.object({ limit: z.coerce.number().int() }), { limit: 'abc' }, '数量上限：须为数字'],
    [z.object({ limit: z.number().int() }), { limit: 1.5 }, '数量上限：须为整数'],
    [z.object({ kind: z.enum(['ai', 'onsite']) }), { kind: 'x' }, '类型：须为以下之一：ai、onsite'],
    [z.object({ publishedOn: z.iso.date() }), { publishedOn: '3月' }, '发布日期：须为日期，如 2026-05-10'],
    [z.object({ jobIds: z.array(z.number()).min(1) }), { jobIds: [] }, '岗位：至少要有一项'],
    [z.strictObject({ title: z.string() }), { title: '', colour: 1 }, '请求内容：有不认识的字段：colour'],
    [
      z.discriminatedUnion('kind', [z.object({ kind: z.literal('video') }), z.object({ kind: z.literal('poster') })]),
      { kind: 'gif' },
      '类型：须为以下之一：video、poster',
    ],
    [z.object({ title: z.string().min(1, '请填写标题') }), { title: '' }, '标题：请填写标题'],
  ])('%#: %j', (schema, value, expected) => {
    expect(reason(schema as z.ZodType, value)).toBe(expected);
  });
});

describe('the API refuses a bad request in Chinese', () => {
  it('names each field of a body and of a query by its Chinese name', async () => {
    const bad = await fx.app().request('/api/fairs', {
      method: 'POST',
      headers: { ...fx.bearer('admin'), 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'ai', title: 7 }),
    });
    expect(bad.status).toBe(400);
    const error = await body<ErrorEnvelope & { fields?: unknown }>(bad);
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toMatch(/^请求参数有误：/);
    expect(error.message).toContain('标题：须为文字');
    expect(error.message).toContain('开始时间：不能为空');
    expect(error.message).not.toMatch(/[A-Za-z]/);

    const query = await fx.app().request('/api/jobs?limit=abc', { headers: fx.bearer('admin') });
    expect((await body<ErrorEnvelope>(query)).message).toBe('请求参数有误：数量上限：须为数字');
  });

  it('says malformed JSON in Chinese', async () => {
    const malformed = await fx.app().request('/api/fairs', {
      method: 'POST',
      headers: { ...fx.bearer('admin'), 'content-type': 'application/json' },
      body: '{"title":',
    });
    expect(malformed.status).toBe(400);
    expect((await body<ErrorEnvelope>(malformed)).message).toBe('请求内容不是有效的 JSON');
  });
});
