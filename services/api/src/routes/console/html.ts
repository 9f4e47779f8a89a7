import { jsonForScript } from '../../pages.ts';

const style = `
body { font-family: "Noto Sans CJK SC", sans-serif; margin: 0 auto; max-width: 960px; padding: 16px 20px 48px; color: #1d2733; }
h1 { font-size: 24px; margin: 8px 0; }
h2 { font-size: 18px; margin: 20px 0 8px; }
#status { display: inline-block; padding: 2px 10px; border-radius: 12px; background: #e8eef6; }
#status.live { background: #d92d20; color: #ffffff; }
#verdict.ok { color: #0a7d32; font-weight: 700; }
#verdict.short { color: #b54708; font-weight: 700; }
ol { padding-left: 28px; }
li { margin: 6px 0; }
li.current { background: #fff6d6; }
.mark { color: #0a7d32; margin-left: 8px; }
.seconds { color: #667085; margin-left: 8px; }
button { font: inherit; padding: 4px 12px; margin-left: 8px; cursor: pointer; }
button.danger { background: #d92d20; color: #ffffff; border: 1px solid #b42318; }
#message { min-height: 1.5em; }
#message.error { color: #b42318; }
label { display: block; margin: 8px 0; }
a { word-break: break-all; }
#preview { width: 100%; max-height: 320px; background: #000000; }
`;

// Everything from the API is set with textContent: titles and job fields are never read as markup.
const script = `
const { sessionId } = JSON.parse(document.getElementById('console-state').textContent);
const TOKEN_KEY = 'jobcast.token';
const base = '/api/live/' + sessionId;
const STATUS = { booked: '已预约', live: '直播中', interrupted: '已中断，等待重连', ended: '已结束' };
const $ = (id) => document.getElementById(id);
let timer;

function say(text, isError) {
  $('message').textContent = text || '';
  $('message').className = isError ? 'error' : '';
}

function showLogin(reason) {
  clearTimeout(timer);
  $('console').hidden = true;
  $('login').hidden = false;
  say(reason || '请先登录 (please sign in)', Boolean(reason));
}

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

// null when the token is missing or refused: the login form is showing then.
async function call(method, path, body) {
  const token = localStorage.getItem(TOKEN_KEY);
  if (!token) {
    showLogin();
    return null;
  }
  const headers = { Authorization: 'Bearer ' + token };
  if (body) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = await response.json().catch(() => null);
  if (response.status === 401) {
    localStorage.removeItem(TOKEN_KEY);
    showLogin(data && data.message);
    return null;
  }
  return { status: response.status, data };
}

function failure(answer) {
  return (answer.data && answer.data.message) || '操作失败 (HTTP ' + answer.status + ')';
}

function render(view) {
  $('login').hidden = true;
  $('console').hidden = false;
  const ended = view.status === 'ended';
  $('title').textContent = view.typeLabel + '：' + view.title;
  $('status').textContent = STATUS[view.status] || view.status;
  $('status').className = view.status;
  const guard = view.verdict || view.guard;
  const missing = [];
  if (!ended && view.guard.needSeconds > 0) missing.push('直播时长还差 ' + Math.ceil(view.guard.needSeconds / 60) + ' 分钟');
  if (!ended && view.guard.needJobs > 0) missing.push('讲解岗位还差 ' + view.guard.needJobs + ' 个');
  $('verdict').textContent = guard.qualified
    ? (ended ? '已达标' : '已达标，可以结束')
    : (ended ? (view.forced ? '未达标（强制结束）' : '未达标') : '尚未达标：' + missing.join('，'));
  $('verdict').className = guard.qualified ? 'ok' : 'short';
  $('reasons').replaceChildren(...guard.reasons.map((reason) => node('li', '', reason)));
  $('current-job').textContent = view.current ? view.current.card.title + '（' + view.current.card.employer + '）' : '无';
  $('rundown').replaceChildren(...view.rundown.map((entry) => {
    const item = node('li', view.current && view.current.position === entry.position ? 'current' : '');
    item.append(node('span', '', entry.card.title + ' — ' + entry.card.employer));
    if (entry.presented) item.append(node('span', 'mark', '✓ 已讲解'));
    if (entry.onScreenSeconds > 0) item.append(node('span', 'seconds', '上屏 ' + entry.onScreenSeconds + ' 秒'));
    const show = node('button', '', '上屏');
    show.disabled = ended;
    show.addEventListener('click', () => act('POST', base + '/present', { jobId: entry.jobId }));
    item.append(show);
    return item;
  }));
  $('next').disabled = ended || view.rundown.length === 0;
  $('end').disabled = ended;
  if (ended) $('force').hidden = true;
  preview(view);
  for (const [id, url] of [['overlay-url', view.overlayUrl], ['preview-url', view.previewUrl]]) {
    $(id).textContent = url || '（仅主播和管理员可见）';
    if (url) $(id).href = url;
    else $(id).removeAttribute('href');
  }
}

// The stream as the platforms get it, a few seconds behind: mpegts.js plays the stream service's
// HTTP-FLV through Media Source Extensions while the session is live.
let player = null;
function preview(view) {
  const playable = view.status === 'live' && view.previewUrl && window.mpegts && mpegts.isSupported();
  if (playable && !player) {
    player = mpegts.createPlayer({ type: 'flv', isLive: true, url: view.previewUrl }, { enableWorker: false, liveBufferLatencyChasing: true });
    player.attachMediaElement($('preview'));
    player.load();
    Promise.resolve(player.play()).catch(() => {});
  } else if (!playable && player) {
    player.destroy();
    player = null;
  }
  $('preview').hidden = !player;
}

async function refresh() {
  try {
    const answer = await call('GET', base);
    if (!answer) return;
    if (answer.status === 200) render(answer.data);
    else say(failure(answer), true);
  } catch {
    say('网络错误，稍后自动重试 (network error; retrying)', true);
  }
  clearTimeout(timer);
  timer = setTimeout(refresh, 2000);
}

async function act(method, path, body) {
  try {
    const answer = await call(method, path, body);
    if (!answer) return null;
    if (answer.status >= 400) say(failure(answer), true);
    else say('');
    await refresh();
    return answer;
  } catch {
    say('网络错误，请重试 (network error)', true);
    return null;
  }
}

$('next').addEventListener('click', () => act('POST', base + '/next'));
$('end').addEventListener('click', async () => {
  if (!confirm('确定结束直播吗？结束后这个推流码不能再用。')) return;
  const answer = await act('POST', base + '/end', {});
  $('force').hidden = !(answer && answer.status === 422);
});
$('force').addEventListener('click', async () => {
  if (!confirm('本场尚未达标。强制结束会记为“强制结束”，不计入达标场次。确定吗？')) return;
  await act('POST', base + '/end', { force: true });
});
$('logout').addEventListener('click', () => {
  localStorage.removeItem(TOKEN_KEY);
  showLogin();
});
$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      say((data && data.message) || '登录失败 (sign-in failed)', true);
      return;
    }
    localStorage.setItem(TOKEN_KEY, data.token);
    event.target.reset();
    say('');
    refresh();
  } catch {
    say('网络错误，请重试 (network error)', true);
  }
});
refresh();
`;

/** The anchor's console: a page with no data of its own; it signs in and reads the JSON API with a bearer token. */
export function consoleHtml(page: { nonce: string; sessionId: number }): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>直播控制台 · 岗播</title>
<style nonce="${page.nonce}">${style}</style>
</head>
<body>
<h1 id="title">直播控制台</h1>
<p>状态：<span id="status">加载中…</span></p>
<p id="message" role="status"></p>
<section id="login" hidden>
  <h2>登录</h2>
  <form id="login-form">
    <label>用户名 <input name="username" autocomplete="username" required></label>
    <label>密码 <input name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit">登录</button>
  </form>
</section>
<main id="console" hidden>
  <h2>达标情况</h2>
  <p id="verdict"></p>
  <ul id="reasons"></ul>
  <h2>正在上屏</h2>
  <p><span id="current-job">无</span><button id="next" type="button">下一个</button></p>
  <h2>节目单</h2>
  <ol id="rundown"></ol>
  <h2>地址</h2>
  <p>OBS 浏览器来源（1920×1080）：<a id="overlay-url" target="_blank" rel="noreferrer"></a></p>
  <video id="preview" muted playsinline controls hidden></video>
  <p>预览（HTTP-FLV）：<a id="preview-url" target="_blank" rel="noreferrer"></a></p>
  <p>
    <button id="end" type="button" class="danger">结束直播</button>
    <button id="force" type="button" class="danger" hidden>强制结束</button>
    <button id="logout" type="button">退出登录</button>
  </p>
</main>
<script type="application/json" id="console-state">${jsonForScript({ sessionId: page.sessionId })}</script>
<script nonce="${page.nonce}" src="/assets/mpegts.js"></script>
<script nonce="${page.nonce}">${script}</script>
</body>
</html>
`;
}
