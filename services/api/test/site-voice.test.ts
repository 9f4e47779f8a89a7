import { getSiteById } from '@jobcast/db';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SiteVoiceView } from '../src/routes/site/view.ts';
import { type ApiFixture, body, openFixture } from './fixture.ts';

/**
 * The site's narration voice (本站默认配音), set from the API and the 制作 page: only a provider this
 * server can speak with (a cloud voice needs its credentials in the environment), only that provider's
 * voices, only a pace of 0.5–2; renders use it unless they pick another.
 */

const TENCENT_ENV = ['JOBCAST_TENCENT_SECRET_ID', 'JOBCAST_TENCENT_SECRET_KEY'] as const;

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openFixture();
});
afterAll(async () => {
  await fx.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** No Tencent credentials on this server, whatever the machine's environment holds. */
function withoutTencent(): void {
  for (const name of TENCENT_ENV) vi.stubEnv(name, '');
}

function withTencent(): void {
  vi.stubEnv('JOBCAST_TENCENT_SECRET_ID', 'AKIDtest');
  vi.stubEnv('JOBCAST_TENCENT_SECRET_KEY', 'test-secret-key');
}

function patch(role: 'admin' | 'media' | 'anchor' | 'manager', change: unknown) {
  return fx.app().request('/api/site/voice', {
    method: 'PATCH',
    headers: { ...fx.bearer(role), 'content-type': 'application/json' },
    body: JSON.stringify(change),
  });
}

async function stored() {
  const site = await getSiteById(fx.db, fx.site.id);
  return { provider: site.voiceProvider, voice: site.voice, rate: site.voiceRate };
}

describe('GET /api/site/voice', () => {
  it("answers every role with the site's voice and the voices it could be, cloud ones without credentials marked", async () => {
    withoutTencent();
    const response = await fx.app().request('/api/site/voice', { headers: fx.bearer('manager') });
    expect(response.status).toBe(200);
    const view = await body<SiteVoiceView>(response);
    expect(view).toMatchObject({ provider: 'espeak', providerLabel: '离线语音（eSpeak NG）', voice: null, rate: 1 });
    const providers = new Map(view.providers.map((p) => [p.id, p]));
    expect(providers.get('espeak')).toMatchObject({ configured: true });
    expect(providers.get('espeak')?.voices.map((v) => v.id)).toEqual(['female', 'male']);
    expect(providers.get('tencent')).toMatchObject({ configured: false });
  });
});

describe('PATCH /api/site/voice', () => {
  it('lets the media team set a voice and pace, which the site keeps', async () => {
    const response = await patch('media', { provider: 'espeak', voice: 'male', rate: 1.1 });
    expect(response.status).toBe(200);
    expect(await body<SiteVoiceView>(response)).toMatchObject({
      provider: 'espeak',
      voice: 'male',
      voiceLabel: '离线男声',
      rate: 1.1,
    });
    expect(await stored()).toEqual({ provider: 'espeak', voice: 'male', rate: 1.1 });
  });

  it('refuses anchors and managers', async () => {
    for (const role of ['anchor', 'manager'] as const) {
      expect((await patch(role, { provider: 'espeak', voice: 'female' })).status).toBe(403);
    }
    expect(await stored()).toEqual({ provider: 'espeak', voice: 'male', rate: 1.1 });
  });

  it('refuses a cloud voice this server has no credentials for, naming the variables to set', async () => {
    withoutTencent();
    const response = await patch('admin', { provider: 'tencent', voice: '101001' });
    expect(response.status).toBe(400);
    const error = await body<{ code: string; message: string }>(response);
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toContain('腾讯云语音合成未配置');
    expect(error.message).toContain('JOBCAST_TENCENT_SECRET_ID');
    expect(await stored()).toEqual({ provider: 'espeak', voice: 'male', rate: 1.1 });
  });

  it("takes the cloud voice once configured, and refuses another provider's voice, a pace out of range and an unknown provider", async () => {
    withTencent();
    const refusals: [unknown, RegExp][] = [
      [{ provider: 'tencent', voice: 'female' }, /腾讯云语音合成没有「female」这个声音，可选：101001（智瑜/],
      [
        { provider: 'tencent', voice: '101001', rate: 2.5 },
        /语速须为 0\.5 到 2 之间的数字（1 为正常语速），填写的是 2\.5/,
      ],
      [
        { provider: 'tencent', voice: '101001', rate: 0.4 },
        /语速须为 0\.5 到 2 之间的数字（1 为正常语速），填写的是 0\.4/,
      ],
      [{ provider: 'baidu' }, /没有「baidu」这个语音服务，可选：espeak/],
    ];
    for (const [change, message] of refusals) {
      const response = await patch('media', change);
      expect(response.status, JSON.stringify(change)).toBe(400);
      expect((await body<{ message: string }>(response)).message).toMatch(message);
    }
    expect(await stored()).toEqual({ provider: 'espeak', voice: 'male', rate: 1.1 });

    const response = await patch('media', { provider: 'tencent', voice: '101001' });
    expect(response.status).toBe(200);
    expect(await body<SiteVoiceView>(response)).toMatchObject({ providerLabel: '腾讯云语音合成', voice: '101001' });
    // The pace not given is normal speed; a provider's default voice is kept as null.
    expect(await stored()).toEqual({ provider: 'tencent', voice: '101001', rate: 1 });
    expect((await patch('media', { provider: 'espeak' })).status).toBe(200);
    expect(await stored()).toEqual({ provider: 'espeak', voice: null, rate: 1 });
  });
});

describe('本站默认配音 on the 制作 page', () => {
  it('is offered to the media team and admins only, and shows what the site uses', async () => {
    withoutTencent();
    const page = async (role: 'media' | 'manager') => {
      const { cookie } = await fx.signIn(role);
      return (await fx.app().request('/renders', { headers: { cookie } })).text();
    };
    const html = await page('media');
    const form = /<form[^>]*data-site-voice[^>]*>.*?<\/form>/s.exec(html)?.[0] ?? '';
    expect(form).toContain('本站默认配音');
    expect(form).toContain('当前：离线语音（eSpeak NG） · 默认声音 · 正常');
    // A cloud voice without credentials is listed but cannot be picked.
    expect(form).toMatch(/<optgroup label="腾讯云语音合成（未配置，不可选）">\s*<option value="tencent:" disabled/);
    expect(await page('manager')).not.toContain('data-site-voice');
  });

  it('saves the picked voice and pace, and shows a refusal on the page', async () => {
    withoutTencent();
    const media = await fx.signIn('media');
    const saved = await fx.app().request('/renders/voice', media.form({ voice: 'espeak:female', rate: '1.15' }));
    expect(saved.status).toBe(303);
    expect(await stored()).toEqual({ provider: 'espeak', voice: 'female', rate: 1.15 });
    const flash = /jc_flash=[^;]*/.exec(saved.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const after = await fx.app().request('/renders', { headers: { cookie: `${media.cookie}; ${flash}` } });
    const html = await after.text();
    expect(html).toContain('本站默认配音已改为：离线语音（eSpeak NG） · 离线女声 · 稍快');
    expect(html).toContain('当前：离线语音（eSpeak NG） · 离线女声 · 稍快');

    const refused = await fx.app().request('/renders/voice', media.form({ voice: 'tencent:101001', rate: '1' }));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('请设置环境变量 JOBCAST_TENCENT_SECRET_ID');
    expect(await stored()).toEqual({ provider: 'espeak', voice: 'female', rate: 1.15 });

    // A pace that is not a number (a hand-made form) is refused in words, not as NaN.
    const garbled = await fx.app().request('/renders/voice', media.form({ voice: 'espeak:male', rate: '快一点' }));
    expect(garbled.status).toBe(400);
    const garbledHtml = await garbled.text();
    expect(garbledHtml).toContain('语速须为 0.5 到 2 之间的数字（1 为正常语速）');
    expect(garbledHtml).not.toContain('NaN');
    expect(await stored()).toEqual({ provider: 'espeak', voice: 'female', rate: 1.15 });

    const manager = await fx.signIn('manager');
    const forbidden = await fx.app().request('/renders/voice', manager.form({ voice: 'espeak:male', rate: '1' }));
    expect(forbidden.status).toBe(403);
    expect(await stored()).toEqual({ provider: 'espeak', voice: 'female', rate: 1.15 });
  });
});
