import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, chineseIssueMessages, loadConfig, repoRoot } from '../src/index.ts';

describe('loadConfig', () => {
  it('works on a fresh machine with no variables set, writing only under the repo data/ folder', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/jobcast');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.dataDir).toBe(path.join(repoRoot, 'data'));
    expect(config.mediaDir).toBe(path.join(repoRoot, 'data', 'media'));
    expect(config.uploadLimitBytes).toBe(50 * 1024 * 1024);
    expect(config.siteCode).toBe('default');
  });

  it('names every bad variable in one message', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url' });
    } catch (error) {
      expect(String(error)).toContain('PORT：须为数字');
      expect(String(error)).toContain('DATABASE_URL：须为完整的网址');
      expect(String(error)).not.toMatch(/Invalid|expected/);
    }
  });

  it('resolves a relative data folder against the repo, not the working directory', () => {
    expect(loadConfig({ JOBCAST_DATA_DIR: 'tmp/x' }).dataDir).toBe(path.join(repoRoot, 'tmp/x'));
  });

  it('keeps media under the data folder unless JOBCAST_MEDIA_DIR says where', () => {
    expect(loadConfig({ JOBCAST_DATA_DIR: 'tmp/x' }).mediaDir).toBe(path.join(repoRoot, 'tmp/x/media'));
    expect(loadConfig({ JOBCAST_MEDIA_DIR: '/srv/jobcast-media' }).mediaDir).toBe('/srv/jobcast-media');
  });
});

describe('chineseIssueMessages', () => {
  const schema = z.object({
    title: z.string().min(2).max(10),
    copies: z.number().int().min(1).max(1000),
    category: z.enum(['gig', 'full-time']),
    jobIds: z.array(z.number()).min(1),
    url: z.url(),
    month: z.string().regex(/^\d{4}-\d{2}$/, '请写成 2026-01 这样的年-月'),
  });
  const good = {
    title: '岗位速递',
    copies: 1000,
    category: 'gig',
    jobIds: [1],
    url: 'http://example.cn',
    month: '2026-11',
  };

  it.each([
    [{ title: undefined }, 'title：不能为空'],
    [{ title: 5 }, 'title：须为文字'],
    [{ title: '岗' }, 'title：至少 2 个字'],
    [{ copies: 1.5 }, 'copies：须为整数'],
    [{ copies: 0 }, 'copies：不能小于 1'],
    [{ copies: 5000 }, 'copies：不能大于 1000'],
    [{ category: '全职' }, 'category：须为以下之一：gig、full-time'],
    [{ jobIds: [] }, 'jobIds：至少要有一项'],
    [{ url: 'example' }, 'url：须为完整的网址，如 http://example.cn'],
    // A message the schema sets itself is kept.
    [{ month: '11月' }, 'month：请写成 2026-01 这样的年-月'],
  ])('%o: %s', (change, said) => {
    const result = schema.safeParse({ ...good, ...change }, { error: chineseIssueMessages });
    expect(result.error?.issues.map((issue) => `${issue.path.join('.')}：${issue.message}`)).toEqual([said]);
  });
});
