/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import type { SiteVoiceView } from '../routes/site/view.ts';
import { CsrfField } from './page.tsx';

/** The paces the console offers, as a person names them (the API and CLI take any pace in range). */
export const VOICE_RATES = [
  { value: '0.85', label: '稍慢' },
  { value: '1', label: '正常' },
  { value: '1.15', label: '稍快' },
  { value: '1.3', label: '快' },
];

/** A pace as the page says it: 正常, or the number where it is not one of the offered paces. */
export function rateLabel(rate: number): string {
  return VOICE_RATES.find((r) => Number(r.value) === rate)?.label ?? `${rate} 倍`;
}

/**
 * 本站默认配音: the voice and pace every video of the site is narrated in unless its render picks
 * another. A cloud voice this server has no credentials for is shown but cannot be picked.
 */
export function SiteVoiceForm(props: { c: Context<AppEnv>; voice: SiteVoiceView }) {
  const { c, voice } = props;
  const chosen = `${voice.provider}:${voice.voice ?? ''}`;
  const offered = VOICE_RATES.some((r) => Number(r.value) === voice.rate);
  return (
    <form method="post" action="/renders/voice" class="card" data-site-voice>
      <h2>本站默认配音</h2>
      <p class="muted">
        当前：{voice.providerLabel} · {voice.voiceLabel ?? '默认声音'} · {rateLabel(voice.rate)}
        。新建短视频时“配音声音”选“站点默认”即用这里的设置。
      </p>
      <CsrfField c={c} />
      <div class="grid two">
        <label>
          声音
          <select name="voice" required>
            {voice.providers.map((provider) => (
              <optgroup label={provider.configured ? provider.label : `${provider.label}（未配置，不可选）`}>
                <option
                  value={`${provider.id}:`}
                  selected={chosen === `${provider.id}:`}
                  disabled={!provider.configured}
                >
                  {provider.label} 默认声音
                </option>
                {provider.voices.map((v) => (
                  <option
                    value={`${provider.id}:${v.id}`}
                    selected={chosen === `${provider.id}:${v.id}`}
                    disabled={!provider.configured}
                  >
                    {v.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label>
          语速
          <select name="rate">
            {offered ? null : (
              <option value={String(voice.rate)} selected>
                {rateLabel(voice.rate)}
              </option>
            )}
            {VOICE_RATES.map((r) => (
              <option value={r.value} selected={Number(r.value) === voice.rate}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="actions">
        <button type="submit">保存本站默认配音</button>
      </div>
    </form>
  );
}
