// 岗播 直播: the booking form's rundown picker (counter, search without a reload) and the anchor
// console. The booking form works without it: a search posts the form back with the chosen jobs kept.
// Everything from the API is set with textContent: titles and job fields are never read as markup.

function liveNode(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A job of the picker, as the page draws it: a checkbox named jobId in a list item. */
function pickItem(job) {
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.name = 'jobId';
  box.value = String(job.id);
  const label = liveNode('label');
  const details = `${job.employer}${job.location ? ` · ${job.location}` : ''} · #${job.id}`;
  label.append(box, liveNode('span', '', job.title), ' ', liveNode('span', 'muted', details));
  const item = liveNode('li');
  item.setAttribute('data-job-id', String(job.id));
  item.append(label);
  return item;
}

function setUpBooking(form) {
  const minJobs = Number(form.getAttribute('data-min-jobs'));
  const type = form.querySelector('[data-live-type]');
  const chosen = form.querySelector('[data-live-chosen]');
  const results = form.querySelector('[data-live-results]');
  const counter = form.querySelector('[data-live-counter]');
  const note = form.querySelector('[data-live-results-note]');
  const book = form.querySelector('[data-live-book]');
  const chosenIds = () => [...chosen.querySelectorAll('input[name="jobId"]')].map((box) => box.value);

  // The server checks again; this only saves a round trip that would be refused.
  function update() {
    const count = chosenIds().length;
    const isJob = type.value === 'job';
    counter.textContent = isJob
      ? `已选 ${count} / 至少 ${minJobs} 个岗位`
      : `已选 ${count} 个岗位（这类直播可以不选岗位）`;
    counter.classList.toggle('short', isJob && count < minJobs);
    book.disabled = isJob && count < minJobs;
  }

  // A ticked job joins the end of the rundown; an unticked one leaves it.
  form.addEventListener('change', (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.name !== 'jobId') return;
    const item = box.closest('li');
    if (box.checked && item.parentElement === results) chosen.append(item);
    else if (!box.checked && item.parentElement === chosen) results.prepend(item);
    update();
  });
  type.addEventListener('change', update);

  async function search() {
    const params = new URLSearchParams({ limit: '30' });
    const words = form.elements.namedItem('q').value.trim();
    const category = form.elements.namedItem('category').value;
    if (words) params.set('search', words);
    if (category) params.set('category', category);
    note.textContent = '正在搜索…';
    try {
      const page = await jobcastApi(`/api/jobs?${params}`);
      const picked = new Set(chosenIds());
      const fresh = page.items.filter((job) => !picked.has(String(job.id)));
      results.replaceChildren(...fresh.map(pickItem));
      note.textContent =
        fresh.length === 0
          ? '没有符合条件的岗位（已选的不再列出）。'
          : `共 ${page.total} 个岗位符合条件，列出 ${fresh.length} 个未选的；勾选即加入节目单。`;
    } catch (error) {
      note.textContent = `搜索失败，请重试：${error.message}`;
    }
  }
  // The search button (also what Enter in a field presses) searches here instead of posting the form.
  form.addEventListener('submit', (event) => {
    if (event.submitter && event.submitter.value === 'search') {
      event.preventDefault();
      search();
    }
  });
  update();
}

function setUpConsole(root) {
  const sessionId = root.getAttribute('data-live-console');
  const labels = JSON.parse(root.getAttribute('data-status-labels') || '{}');
  const base = `/api/live/${sessionId}`;
  const $ = (id) => document.getElementById(id);
  let timer;
  let view = null;

  function say(text, isError) {
    $('message').textContent = text || '';
    $('message').className = isError ? 'error' : '';
  }

  // With the session cookie, and the CSRF token on changes. An expired session signs in again and comes back.
  async function call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') headers['X-CSRF-Token'] = jobcastCsrf();
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) {
      window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
      return null;
    }
    return { status: response.status, data: await response.json().catch(() => null) };
  }

  function failure(answer) {
    return answer.data?.message || `操作失败（状态码 ${answer.status}），请重试`;
  }

  function minutesAndSeconds(seconds) {
    const whole = Math.floor(seconds);
    return whole < 60 ? `${whole} 秒` : `${Math.floor(whole / 60)} 分 ${whole % 60} 秒`;
  }

  function render(next) {
    view = next;
    $('console').hidden = false;
    const ended = view.status === 'ended';
    $('title').textContent = `${view.typeLabel}：${view.title}`;
    $('status').textContent = labels[view.status] || view.status;
    $('status').className = `badge ${view.status}`;
    $('live-time').textContent = minutesAndSeconds(view.liveSeconds);
    const guard = view.verdict || view.guard;
    const missing = [];
    if (!ended && view.guard.needSeconds > 0)
      missing.push(`直播时长还差 ${Math.ceil(view.guard.needSeconds / 60)} 分钟`);
    if (!ended && view.guard.needJobs > 0) missing.push(`讲解岗位还差 ${view.guard.needJobs} 个`);
    $('verdict').textContent = guard.qualified
      ? ended
        ? '已达标'
        : '已达标，可以结束'
      : ended
        ? view.forced
          ? '未达标（强制结束）'
          : '未达标'
        : `尚未达标：${missing.join('，')}`;
    $('verdict').className = guard.qualified ? 'ok' : 'short';
    $('reasons').replaceChildren(...guard.reasons.map((reason) => liveNode('li', '', reason)));
    currentJob();
    $('rundown').replaceChildren(
      ...view.rundown.map((entry) => {
        const item = liveNode('li', view.current && view.current.position === entry.position ? 'current' : '');
        const job = liveNode('span', 'job');
        job.append(liveNode('strong', '', entry.card.title), liveNode('span', 'muted', entry.card.employer));
        const marks = liveNode('span', 'marks');
        if (entry.presented) marks.append(liveNode('span', 'mark', '✓ 已讲解'));
        if (entry.onScreenSeconds > 0) marks.append(liveNode('span', 'seconds', `上屏 ${entry.onScreenSeconds} 秒`));
        const show = liveNode('button', 'secondary', '上屏');
        show.type = 'button';
        show.disabled = ended;
        show.addEventListener('click', () => act('POST', `${base}/present`, { jobId: entry.jobId }));
        item.append(liveNode('span', 'position', String(entry.position)), job, marks, show);
        return item;
      }),
    );
    $('next').disabled = ended || view.rundown.length === 0;
    $('previous').disabled = ended || !previousEntry();
    $('end').disabled = ended;
    if (ended) $('force').hidden = true;
    preview();
  }

  // The job on screen, where it is in the rundown, and its employer.
  function currentJob() {
    const current = view.current;
    const line = $('current-job');
    if (!current) {
      line.textContent = '无';
      return;
    }
    line.replaceChildren(
      liveNode('span', 'muted', `第 ${current.position} / ${view.rundown.length} 个`),
      liveNode('strong', '', current.card.title),
      liveNode('span', 'muted', current.card.employer),
    );
  }

  function previousEntry() {
    if (!view?.current) return null;
    return view.rundown.find((entry) => entry.position === view.current.position - 1) || null;
  }

  // The stream as the platforms get it, a few seconds behind: mpegts.js plays the stream service's
  // HTTP-FLV through Media Source Extensions while the session is live.
  let player = null;
  function preview() {
    const playable = view.status === 'live' && view.previewUrl && window.mpegts && mpegts.isSupported();
    if (playable && !player) {
      player = mpegts.createPlayer(
        { type: 'flv', isLive: true, url: view.previewUrl },
        { enableWorker: false, liveBufferLatencyChasing: true },
      );
      player.attachMediaElement($('preview'));
      player.load();
      Promise.resolve(player.play()).catch(() => {});
    } else if (!playable && player) {
      player.destroy();
      player = null;
    }
    $('preview').hidden = !player;
    $('preview-idle').hidden = Boolean(player);
    $('preview-idle').textContent =
      view.status === 'ended'
        ? '直播已结束'
        : view.status === 'live'
          ? '这个浏览器不能播放预览，请换用电脑上较新的浏览器打开'
          : '开播后这里显示预览画面，比实际画面晚几秒';
  }

  async function refresh() {
    try {
      const answer = await call('GET', base);
      if (!answer) return;
      if (answer.status === 200) render(answer.data);
      else say(failure(answer), true);
    } catch {
      say('网络错误，稍后自动重试', true);
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
      say('网络错误，请重试', true);
      return null;
    }
  }

  $('next').addEventListener('click', () => act('POST', `${base}/next`));
  $('previous').addEventListener('click', () => {
    const entry = previousEntry();
    if (entry) act('POST', `${base}/present`, { jobId: entry.jobId });
  });
  $('end').addEventListener('click', async () => {
    if (!window.confirm('确定结束直播吗？结束后这个串流密钥不能再用。')) return;
    const answer = await act('POST', `${base}/end`, {});
    $('force').hidden = !(answer && answer.status === 422);
  });
  $('force').addEventListener('click', async () => {
    if (!window.confirm('本场尚未达标。强制结束会记为“强制结束”，不计入达标场次。确定吗？')) return;
    await act('POST', `${base}/end`, { force: true });
  });
  refresh();
}

document.addEventListener('DOMContentLoaded', () => {
  for (const form of document.querySelectorAll('form[data-live-booking]')) setUpBooking(form);
  for (const root of document.querySelectorAll('[data-live-console]')) setUpConsole(root);
});
