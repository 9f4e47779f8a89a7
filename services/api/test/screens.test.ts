import { randomBytes, randomInt } from 'node:crypto';
import type { UserRole } from '@jobcast/core';
import {
  claimRender,
  completeRender,
  createImportBatch,
  createRender,
  createScreenGroup,
  findScreenByTokenHash,
  insertLiveSession,
  insertScreenPlays,
  prepareJob,
  recordScreenBeat,
  type ScreenBeat,
  schema,
  startScreenPairing,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScreenGroupView, ScreenPlaysView, ScreenView } from '../src/routes/screens/view.ts';
import { type ApiFixture, addSiteWithStaff, body, openFixture } from './fixture.ts';

let fx: ApiFixture;
let jobId: number;
let videoId: number;
let otherSiteVideoId: number;
let hall: { id: number };
let square: { id: number };

interface ErrorBody {
  code: string;
  message: string;
}

function send(role: UserRole, method: string, path: string, json?: unknown) {
  return fx.app().request(path, {
    method,
    headers: { ...fx.bearer(role), 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
}
const get = (role: UserRole, path: string) => fx.app().request(path, { headers: fx.bearer(role) });

async function finishedVideo(siteId: number, jobIds: number[]): Promise<number> {
  const render = await createRender(fx.db, { siteId, kind: 'video', template: 'job-spotlight', jobIds });
  await claimRender(fx.db, render.id);
  await completeRender(fx.db, render.id, {
    outputKey: `renders/${render.id}/video.mp4`,
    mimeType: 'video/mp4',
    bytes: 1000,
    durationS: 30,
  });
  return render.id;
}

/**
 * A player asking for a pairing, as the player's own route does it. Codes are shared by every site,
 * so each pairing gets one no other test file is likely to hold open at the same time.
 */
async function playerWaiting(now?: Date): Promise<{ code: string; tokenHash: string }> {
  const code = String(randomInt(100_000, 1_000_000));
  const tokenHash = randomBytes(32).toString('hex');
  await startScreenPairing(fx.db, { tokenHash, clientAddress: null, code: () => code, ...(now ? { now } : {}) });
  return { code, tokenHash };
}

const beat = (over: Partial<ScreenBeat> = {}): ScreenBeat => ({
  manifestVersion: 'v1',
  playingRenderId: null,
  state: 'video',
  cachedItems: 5,
  totalItems: 6,
  cachedBytes: 5_000_000,
  problems: [],
  pendingPlays: 0,
  userAgent: null,
  ...over,
});

beforeAll(async () => {
  fx = await openFixture();
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'screens.csv' });
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rowsRead: 1,
    rejects: [],
    jobs: [prepareJob(testJobRecord({ employerName: '洪城物流有限公司', title: '叉车司机' }))],
  });
  const [job] = await fx.db.select({ id: schema.jobs.id }).from(schema.jobs).where(eq(schema.jobs.siteId, fx.site.id));
  jobId = job?.id as number;
  videoId = await finishedVideo(fx.site.id, [jobId]);
  const other = await addSiteWithStaff(fx.db);
  otherSiteVideoId = await finishedVideo(other.site.id, []);
  hall = await createScreenGroup(fx.db, { siteId: fx.site.id, name: '大厅' });
  square = await createScreenGroup(fx.db, { siteId: fx.site.id, name: '零工驿站' });
});
afterAll(async () => {
  await fx.close();
});

describe('pairing a screen', () => {
  it('pairs with the code the screen shows, and refuses a wrong, a used and an expired code with their reasons', async () => {
    const player = await playerWaiting();
    const paired = await send('media', 'POST', '/api/screens/pair', {
      code: player.code,
      groupId: hall.id,
      name: '大厅东侧电视',
    });
    expect(paired.status).toBe(201);
    expect(await body<ScreenView>(paired)).toMatchObject({ name: '大厅东侧电视', groupName: '大厅', status: 'never' });
    expect(await findScreenByTokenHash(fx.db, player.tokenHash)).not.toBeNull();

    const again = await send('admin', 'POST', '/api/screens/pair', {
      code: player.code,
      groupId: hall.id,
      name: '又一台',
    });
    expect(again.status).toBe(409);
    const used = await body<ErrorBody>(again);
    expect(used.code).toBe('CONFLICT');
    expect(used.message).toContain('已经用过');

    const late = await playerWaiting(new Date(Date.now() - 11 * 60_000));
    const expired = await send('media', 'POST', '/api/screens/pair', {
      code: late.code,
      groupId: hall.id,
      name: '迟到',
    });
    expect(expired.status).toBe(422);
    const expiredError = await body<ErrorBody>(expired);
    expect(expiredError.code).toBe('RULE_VIOLATED');
    expect(expiredError.message).toContain('已过期');
    expect(await findScreenByTokenHash(fx.db, late.tokenHash)).toBeNull();

    const wrong = await send('media', 'POST', '/api/screens/pair', { code: '12345', groupId: hall.id, name: '错码' });
    expect(wrong.status).toBe(400);
    expect((await body<ErrorBody>(wrong)).message).toContain('6 位数字');
    // Six digits, but a number no screen here was given (a typo of one that was).
    const typo = await send('media', 'POST', '/api/screens/pair', {
      code: String(((Number(late.code) + 1) % 900_000) + 100_000),
      groupId: hall.id,
      name: '错码',
    });
    expect(typo.status).toBe(400);
    const typoError = await body<ErrorBody>(typo);
    expect(typoError.code).toBe('BAD_INPUT');
    expect(typoError.message).toContain('不对，请核对屏幕上显示的数字');
  });

  it('lets every role read the screens, and only media and admin pair, move or revoke them', async () => {
    const player = await playerWaiting();
    for (const role of ['manager', 'anchor'] as const) {
      const refused = await send(role, 'POST', '/api/screens/pair', { code: player.code, groupId: hall.id, name: 'x' });
      expect(refused.status).toBe(403);
    }
    const screen = await body<ScreenView>(
      await send('admin', 'POST', '/api/screens/pair', { code: player.code, groupId: hall.id, name: '角色测试屏' }),
    );
    expect((await send('manager', 'POST', `/api/screens/${screen.id}/revoke`)).status).toBe(403);
    expect((await send('anchor', 'PATCH', `/api/screens/${screen.id}`, { name: '改名' })).status).toBe(403);
    const listed = await get('manager', '/api/screens');
    expect(listed.status).toBe(200);
    const { screens } = await body<{ screens: ScreenView[] }>(listed);
    expect(screens.map((s) => s.name)).toContain('角色测试屏');
    expect((await get('anchor', '/api/screen-groups')).status).toBe(200);
    expect((await send('manager', 'POST', '/api/screen-groups', { name: '负责人的分组' })).status).toBe(403);
  });
});

describe('the screens list', () => {
  it('says which screens are online, what they play, their cache and their problems', async () => {
    const [first, second] = [await playerWaiting(), await playerWaiting()];
    const live = await body<ScreenView>(
      await send('media', 'POST', '/api/screens/pair', { code: first.code, groupId: hall.id, name: '在线屏' }),
    );
    const quiet = await body<ScreenView>(
      await send('media', 'POST', '/api/screens/pair', { code: second.code, groupId: square.id, name: '沉默屏' }),
    );
    await recordScreenBeat(
      fx.db,
      live.id,
      beat({ playingRenderId: videoId, problems: [{ renderId: videoId, reason: 'checksum' }] }),
      null,
    );
    // Three one-minute beats missed: offline.
    await recordScreenBeat(fx.db, quiet.id, beat(), null, new Date(Date.now() - 3 * 60_000 - 5_000));
    const { screens, offlineAfterSeconds } = await body<{ screens: ScreenView[]; offlineAfterSeconds: number }>(
      await get('manager', '/api/screens'),
    );
    expect(offlineAfterSeconds).toBe(180);
    const online = screens.find((s) => s.id === live.id);
    expect(online).toMatchObject({ status: 'online', online: true, stateText: '播放视频' });
    expect(online?.cache).toEqual({ cachedItems: 5, totalItems: 6, cachedBytes: 5_000_000 });
    expect(online?.playing?.renderId).toBe(videoId);
    expect(online?.playing?.title).toContain('叉车司机');
    expect(online?.problems[0]?.text).toBe('校验不符，文件可能损坏');
    expect(screens.find((s) => s.id === quiet.id)).toMatchObject({ status: 'offline', online: false });
  });

  it('renames, moves and revokes a screen; a revoked token no longer works', async () => {
    const player = await playerWaiting();
    const screen = await body<ScreenView>(
      await send('media', 'POST', '/api/screens/pair', { code: player.code, groupId: hall.id, name: '待改名' }),
    );
    const moved = await send('media', 'PATCH', `/api/screens/${screen.id}`, { name: '驿站门口', groupId: square.id });
    expect(await body<ScreenView>(moved)).toMatchObject({ name: '驿站门口', groupName: '零工驿站' });
    const revoked = await send('media', 'POST', `/api/screens/${screen.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(await body<ScreenView>(revoked)).toMatchObject({ status: 'revoked', online: false });
    expect(await findScreenByTokenHash(fx.db, player.tokenHash)).toBeNull();
    expect((await send('media', 'POST', '/api/screens/999999/revoke')).status).toBe(404);
  });
});

describe('screen groups', () => {
  it('refuses play windows that are not weekdays 1–7 and HH:MM from before to, naming the window', async () => {
    const refused = async (windows: unknown) => {
      const response = await send('media', 'PATCH', `/api/screen-groups/${hall.id}`, { windows });
      expect(response.status).toBe(400);
      return (await body<ErrorBody>(response)).message;
    };
    const workdays = { days: [1, 2, 3, 4, 5], from: '08:30', to: '17:30' };
    expect(await refused([workdays, { days: [6, 7], from: '18:00', to: '09:00' }])).toContain(
      '第 2 个播放时段（周六、周日）的开始时间 18:00 须早于结束时间 09:00',
    );
    expect(await refused([{ days: [0, 1], from: '08:00', to: '12:00' }])).toContain('1–7');
    expect(await refused([{ days: [1], from: '8:30', to: '12:00' }])).toContain(
      '第 1 个播放时段（周一）的开始时间须为 时:分',
    );
    expect(await refused([{ days: [], from: '08:00', to: '12:00' }])).toContain('没有选星期几');

    const taken = await send('media', 'PATCH', `/api/screen-groups/${hall.id}`, { name: '零工驿站' });
    expect(taken.status).toBe(409);
    expect((await body<ErrorBody>(taken)).message).toContain('已有名为“零工驿站”的屏幕分组');

    const saved = await send('admin', 'PATCH', `/api/screen-groups/${hall.id}`, {
      windows: [workdays, { days: [7, 6, 6], from: '09:00', to: '12:00' }],
      mode: 'manual',
    });
    expect(saved.status).toBe(200);
    expect(await body<ScreenGroupView>(saved)).toMatchObject({
      mode: 'manual',
      windows: [workdays, { days: [6, 7], from: '09:00', to: '12:00' }],
      windowsText: ['周一至周五 08:30–17:30', '周六、周日 09:00–12:00'],
    });
  });

  it("orders a manual playlist from the site's finished videos and refuses another site's", async () => {
    const foreign = await send('media', 'PUT', `/api/screen-groups/${square.id}/items`, {
      renderIds: [videoId, otherSiteVideoId],
    });
    expect(foreign.status).toBe(400);
    expect((await body<ErrorBody>(foreign)).message).toContain(`制作任务 ${otherSiteVideoId} 不是本站已完成的视频`);
    const set = await send('media', 'PUT', `/api/screen-groups/${square.id}/items`, { renderIds: [videoId] });
    expect(set.status).toBe(200);
    const group = await body<ScreenGroupView>(set);
    expect(group.items.map((item) => item.renderId)).toEqual([videoId]);
    expect(group.items[0]?.title).toContain('叉车司机');
  });

  it('puts a booked livestream on the screens, refuses one that has ended, and takes it off', async () => {
    const session = (status: 'booked' | 'ended', title: string) =>
      insertLiveSession(fx.db, {
        siteId: fx.site.id,
        type: 'job',
        title,
        anchorName: '主播',
        slotStart: new Date(Date.now() + 3_600_000),
        slotEnd: new Date(Date.now() + 7_200_000),
        status,
        streamKeyHash: randomBytes(16).toString('hex'),
        overlayToken: randomBytes(16).toString('hex'),
      });
    const booked = await session('booked', '春风行动直播');
    const ended = await session('ended', '上周的直播');
    const put = await send('media', 'PUT', `/api/screen-groups/${hall.id}/live`, { sessionId: booked.id });
    expect(await body<ScreenGroupView>(put)).toMatchObject({
      live: { sessionId: booked.id, title: '春风行动直播', statusText: '已预约', onAir: false },
    });
    const refused = await send('media', 'PUT', `/api/screen-groups/${hall.id}/live`, { sessionId: ended.id });
    expect(refused.status).toBe(422);
    expect((await body<ErrorBody>(refused)).message).toMatch(/已经结束，不能放到屏幕上$/);
    const off = await send('admin', 'PUT', `/api/screen-groups/${hall.id}/live`, { sessionId: null });
    expect((await body<ScreenGroupView>(off)).live).toBeNull();
  });
});

describe('/api/screen-plays', () => {
  it("counts plays per day on the site's clock, per screen, video and job", async () => {
    const player = await playerWaiting();
    const screen = await body<ScreenView>(
      await send('media', 'POST', '/api/screens/pair', { code: player.code, groupId: hall.id, name: '播放统计屏' }),
    );
    const play = (playId: string, startedAt: string, completed = true) => ({
      playId,
      renderId: videoId,
      jobIds: [jobId],
      startedAt: new Date(startedAt),
      endedAt: new Date(Date.parse(startedAt) + 30_000),
      playedMs: completed ? 30_000 : 5_000,
      completed,
      clockOffsetMs: 0,
    });
    await insertScreenPlays(fx.db, { id: screen.id, siteId: fx.site.id, groupId: hall.id }, [
      // 23:30 and 00:30 in Shanghai: two site days, though one UTC day.
      play('a', '2026-03-02T15:30:00Z'),
      play('b', '2026-03-02T16:30:00Z'),
      play('c', '2026-03-03T02:00:00Z', false),
    ]);
    const response = await get('manager', `/api/screen-plays?from=2026-03-01&to=2026-03-04&screenId=${screen.id}`);
    expect(response.status, fx.logs.join('\n')).toBe(200);
    const plays = await body<ScreenPlaysView>(response);
    expect(plays.byDay).toEqual([
      { day: '2026-03-01', plays: 0, completed: 0 },
      { day: '2026-03-02', plays: 1, completed: 1 },
      { day: '2026-03-03', plays: 2, completed: 1 },
      { day: '2026-03-04', plays: 0, completed: 0 },
    ]);
    expect(plays.total).toEqual({ plays: 3, completed: 2 });
    expect(plays.byScreen).toEqual([{ screenId: screen.id, name: '播放统计屏', plays: 3, completed: 2 }]);
    expect(plays.byVideo[0]).toMatchObject({ renderId: videoId, plays: 3 });
    expect(plays.byJob).toEqual([{ jobId, title: '叉车司机', employer: '洪城物流有限公司', plays: 3, completed: 2 }]);

    const backwards = await get('manager', '/api/screen-plays?from=2026-03-04&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect((await body<ErrorBody>(backwards)).message).toContain('早于开始日期');
    const thisWeek = await body<ScreenPlaysView>(await get('anchor', '/api/screen-plays'));
    expect(thisWeek.byDay).toHaveLength(7);
    expect(new Date(`${thisWeek.from}T00:00:00Z`).getUTCDay()).toBe(1);
  });
});

describe('the 屏幕 page', () => {
  const page = async (role: UserRole, path: string, init: RequestInit = {}) => {
    const session = await fx.signIn(role);
    const response = await fx.app().request(path, { ...init, headers: { cookie: session.cookie, ...init.headers } });
    return { status: response.status, html: await response.text(), response };
  };
  const post = async (role: UserRole, path: string, fields: Record<string, string>) => {
    const session = await fx.signIn(role);
    const response = await fx.app().request(path, session.form(fields));
    return { status: response.status, html: await response.text(), response };
  };

  it('shows a manager which screens are offline and since when, without the forms', async () => {
    const player = await playerWaiting();
    const screen = await body<ScreenView>(
      await send('media', 'POST', '/api/screens/pair', { code: player.code, groupId: hall.id, name: '走廊电视' }),
    );
    await recordScreenBeat(
      fx.db,
      screen.id,
      beat({ playingRenderId: videoId }),
      null,
      new Date(Date.now() - 12 * 60_000),
    );
    const { status, html } = await page('manager', '/screens');
    expect(status).toBe(200);
    const row = html.slice(html.indexOf(`data-screen-id="${screen.id}"`)).split('</tr>')[0] ?? '';
    expect(row).toContain('离线');
    expect(row).toContain('最后心跳 12 分钟前');
    expect(row).toContain('离线前：');
    expect(html).toContain('离线：');
    expect(html).not.toContain('action="/screens/pair');
    expect(html).not.toContain(`action="/screens/${screen.id}/revoke"`);
  });

  it('says in Chinese why a pairing code was refused, keeping what was typed', async () => {
    const late = await playerWaiting(new Date(Date.now() - 11 * 60_000));
    const { status, html } = await post('media', '/screens/pair', {
      code: late.code,
      groupId: String(hall.id),
      name: '过期测试屏',
    });
    expect(status).toBe(422);
    expect(html).toContain(`配对码 ${late.code} 已过期（有效 10 分钟），请刷新屏幕获取新码`);
    expect(html).not.toContain('(code: expired)');
    expect(html).toContain('value="过期测试屏"');
  });

  it('saves play windows from the form and names a wrong one', async () => {
    const group = await createScreenGroup(fx.db, { siteId: fx.site.id, name: '招聘会场' });
    const refused = await post('media', `/screens/groups/${group.id}/settings`, {
      name: '招聘会场',
      mode: 'auto',
      autoLimit: '10',
      rows: '2',
      days0: '3',
      from0: '14:00',
      to0: '12:00',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('第 1 个播放时段（周三）的开始时间 14:00 须早于结束时间 12:00');
    const saved = await post('media', `/screens/groups/${group.id}/settings`, {
      name: '招聘会场',
      mode: 'auto',
      autoLimit: '10',
      rows: '2',
      days0: '3',
      from0: '09:00',
      to0: '12:00',
    });
    expect(saved.status).toBe(303);
    const { html } = await page('manager', `/screens/groups/${group.id}`);
    expect(html).toContain('周三 09:00–12:00');
    expect(html).toContain('最多 10 条');
  });
});
