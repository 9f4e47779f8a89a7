import { JobcastError } from '@jobcast/core';
import { ensureSite, getSiteByCode, listSites, setServiceYearStart } from '@jobcast/db';
import { serviceYear } from '@jobcast/kpi';
import { currentServiceYear } from '@jobcast/ledger';
import { chooseSiteVoice, type SiteVoice, siteVoiceChoices, siteVoiceLabels } from '@jobcast/renders';
import { type CommandContext, print } from '../context.ts';

export async function sitesAddCommand(ctx: CommandContext, code: string, options: { name: string; timezone: string }) {
  if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(code)) {
    throw new JobcastError('BAD_INPUT', '站点代码只能用小写字母、数字和 -');
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: options.timezone });
  } catch {
    throw new JobcastError('BAD_INPUT', `未知时区 ${options.timezone}，请写 IANA 时区名，如 Asia/Shanghai`);
  }
  const site = await ensureSite(ctx.db, { code, name: options.name, timezone: options.timezone });
  process.stdout.write(`站点 ${site.code}：${site.name}（${site.timezone}）\n`);
}

export async function sitesListCommand(ctx: CommandContext, options: { json?: boolean }) {
  const sites = await listSites(ctx.db);
  print(Boolean(options.json), sites, () => sites.map((s) => `${s.code}\t${s.name}\t${s.timezone}`).join('\n'));
}

/** A service year start day (MM-DD) that every year has: the scoring's own rule decides, 02-29 is refused. */
function serviceYearStartOf(value: string): string {
  try {
    serviceYear(2001, value);
  } catch {
    throw new JobcastError('BAD_INPUT', `服务年度开始日须写作 月-日，如 01-01 或 03-01，且不能是 02-29：${value}`);
  }
  return value;
}

/** `jobcast sites set CODE --service-year-start 03-01`: from then on every report counts years from that day. */
export async function sitesSetCommand(ctx: CommandContext, code: string, options: { serviceYearStart?: string }) {
  if (options.serviceYearStart === undefined) {
    throw new JobcastError('BAD_INPUT', '请指定要修改的设置，如 --service-year-start 03-01');
  }
  const start = serviceYearStartOf(options.serviceYearStart);
  const site = await getSiteByCode(ctx.db, code);
  await setServiceYearStart(ctx.db, site.id, start);
  const current = serviceYear(currentServiceYear({ ...site, serviceYearStart: start }), start);
  process.stdout.write(
    `站点 ${site.code}：服务年度自每年 ${start} 起，本服务年度为 ${current.start} 至 ${current.lastDay}\n`,
  );
}

/** The site's voice in words: 离线语音（eSpeak NG） · 离线女声 · 语速 1. */
function voiceLine(site: SiteVoice): string {
  const { providerLabel, voiceLabel } = siteVoiceLabels(site);
  return `${providerLabel} · ${voiceLabel ?? '默认声音'} · 语速 ${site.voiceRate}`;
}

/**
 * `jobcast sites voice [CODE] --provider espeak|tencent|volcengine [--voice ID] [--rate 1.1] [--json]`: the
 * voice the site's videos are narrated in unless a render picks another. Without options, shows it and
 * the voices there are.
 */
export async function sitesVoiceCommand(
  ctx: CommandContext,
  code: string | undefined,
  options: { provider?: string; voice?: string; rate?: string; json?: boolean },
) {
  const site = await getSiteByCode(ctx.db, code ?? ctx.config.siteCode);
  if (options.provider === undefined && options.voice === undefined && options.rate === undefined) {
    const providers = siteVoiceChoices();
    const current = { provider: site.voiceProvider, voice: site.voice, rate: site.voiceRate };
    print(Boolean(options.json), { site: site.code, ...current, providers }, () =>
      [
        `站点 ${site.code} 的默认配音：${voiceLine(site)}`,
        '可选（--provider 语音服务 --voice 声音）：',
        ...providers.map(
          (p) =>
            `  ${p.id}（${p.label}${p.configured ? '' : '，未配置密钥'}）：${p.voices.map((v) => `${v.id} ${v.label}`).join('，')}`,
        ),
      ].join('\n'),
    );
    return;
  }
  const rate = options.rate === undefined ? undefined : Number(options.rate);
  if (rate !== undefined && (options.rate?.trim() === '' || !Number.isFinite(rate))) {
    throw new JobcastError('BAD_INPUT', `--rate 须是数字，如 1 或 1.1：${options.rate}`);
  }
  // Another voice of the same provider keeps the provider; another provider starts from its default voice.
  const provider = options.provider ?? site.voiceProvider;
  const saved = await chooseSiteVoice(ctx.db, site.id, {
    provider,
    voice: options.voice ?? (provider === site.voiceProvider ? site.voice : null),
    rate: rate ?? site.voiceRate,
  });
  print(
    Boolean(options.json),
    { site: site.code, provider: saved.voiceProvider, voice: saved.voice, rate: saved.voiceRate },
    () => `站点 ${site.code} 的默认配音已改为：${voiceLine(saved)}`,
  );
}
