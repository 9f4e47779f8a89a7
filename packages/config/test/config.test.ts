import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, repoRoot } from '../src/index.ts';

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
      expect(String(error)).toContain('PORT');
      expect(String(error)).toContain('DATABASE_URL');
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
