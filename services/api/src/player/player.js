// JobCast screen player (职播机): pairs once with a code, then plays its group's job videos from a
// local cache, records every play on the screen first (IndexedDB outbox) and uploads the plays when
// the server answers. It keeps playing with the server gone: the manifest, the videos and this page
// are all kept on the screen.
(() => {
  const TOKEN_KEY = 'jobcast.screen.token';
  const MANIFEST_KEY = 'jobcast.screen.manifest';
  const MEDIA_CACHE = 'jobcast-player-media';
  const BATCH = 50;
  const params = new URLSearchParams(location.search);
  // Diagnostics and tests may shorten the intervals (seconds).
  const beatOverride = Number(params.get('beat')) || 0;
  const uploadOverride = Number(params.get('upload')) || 0;

  const $ = (id) => document.getElementById(id);
  const video = $('video');
  const secure = window.isSecureContext && 'caches' in window && !!crypto.subtle;

  const state = {
    token: null,
    manifest: null,
    offsetMs: 0,
    online: false,
    /** renderId -> reason (gone, checksum, fetch failed) */
    problems: new Map(),
    /** renderId -> Blob, when Cache Storage is not available (an insecure origin) */
    memory: new Map(),
    cached: new Set(),
    cachedBytes: 0,
    playing: null,
    mode: 'idle',
    position: new Map(),
    liveFailedUntil: 0,
    live: null,
    syncing: false,
    interrupt: null,
  };

  // ---------------------------------------------------------------------------------------------
  // Small helpers

  function randomId(bytes) {
    const data = crypto.getRandomValues(new Uint8Array(bytes));
    return btoa(String.fromCharCode(...data))
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '');
  }

  function hex(buffer) {
    return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  function now() {
    return Date.now() + state.offsetMs;
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  function show(id) {
    for (const view of document.querySelectorAll('.view')) view.hidden = view.id !== id;
  }

  async function api(path, options = {}) {
    const headers = { ...(options.headers || {}) };
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    if (options.body) headers['Content-Type'] = 'application/json';
    // A server that does not answer must not stall the screen: JSON calls give up after 15 s.
    const signal = AbortSignal.timeout(options.timeoutMs || 15_000);
    const response = await fetch(path, { ...options, headers, cache: 'no-store', signal });
    if (response.status === 401) {
      const body = await response.json().catch(() => ({}));
      const error = new Error(body?.error?.message || 'unpaired');
      error.unpaired = true;
      throw error;
    }
    return response;
  }

  function setOnline(online) {
    state.online = online;
    updateStatus();
  }

  function updateStatus() {
    const parts = [];
    if (state.manifest) parts.push(`${state.manifest.screen.name} · ${state.manifest.screen.group}`);
    if (!state.online) parts.push('服务器暂时连不上，正在播放本机缓存');
    const pending = state.pendingPlays || 0;
    if (!state.online && pending > 0) parts.push(`${pending} 条播放记录待上传`);
    $('status').textContent = parts.join(' · ');
    $('status').classList.toggle('offline', !state.online);
  }

  // ---------------------------------------------------------------------------------------------
  // The outbox: plays wait here until the server has them

  let outboxDb = null;
  function outbox() {
    if (outboxDb) return outboxDb;
    outboxDb = new Promise((resolve, reject) => {
      const request = indexedDB.open('jobcast-player', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('plays', { keyPath: 'playId' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    // A failure is not kept: the next play tries again.
    outboxDb.catch(() => {
      outboxDb = null;
    });
    return outboxDb;
  }

  async function outboxDo(mode, work) {
    const db = await outbox();
    return new Promise((resolve, reject) => {
      const tx = db.transaction('plays', mode);
      const result = work(tx.objectStore('plays'));
      tx.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  }

  /**
   * Plays that IndexedDB would not take (storage full, private mode): kept in memory instead, so
   * they are still uploaded while the page lives, and the heartbeat reports the fault.
   */
  const spare = new Map();
  function storageFault(error) {
    // Read on the 屏幕 page by hall staff: the browser's error name (QuotaExceededError) means nothing there.
    const why = error?.name === 'QuotaExceededError' ? '本机存储空间已满' : '本机存储无法使用（可能是无痕模式）';
    state.problems.set(0, `${why}，播放记录暂存在内存里`);
  }

  async function keepPlay(play) {
    try {
      await outboxDo('readwrite', (store) => store.put(play));
    } catch (error) {
      storageFault(error);
      spare.set(play.playId, play);
    }
  }
  async function pendingPlays() {
    let kept = [];
    try {
      kept = await outboxDo('readonly', (store) => store.getAll(undefined, BATCH));
    } catch (error) {
      storageFault(error);
    }
    return [...kept, ...spare.values()].slice(0, BATCH);
  }
  async function countPlays() {
    try {
      return (await outboxDo('readonly', (store) => store.count())) + spare.size;
    } catch {
      return spare.size;
    }
  }
  async function forgetPlays(ids) {
    for (const id of ids) spare.delete(id);
    try {
      await outboxDo('readwrite', (store) => {
        for (const id of ids) store.delete(id);
      });
    } catch (error) {
      storageFault(error);
    }
  }

  let uploading = false;
  async function uploadPlays() {
    if (uploading || !state.token) return;
    uploading = true;
    try {
      for (;;) {
        const batch = await pendingPlays();
        if (batch.length === 0) break;
        const response = await api('/player/api/plays', {
          method: 'POST',
          body: JSON.stringify({ sentAt: new Date().toISOString(), plays: batch }),
        });
        if (response.status >= 400 && response.status < 500) {
          // The server will never take this batch as it is (it says why): set it aside, not retried forever.
          const body = await response.json().catch(() => ({}));
          console.error('plays batch refused', response.status, body?.error?.message);
          await forgetPlays(batch.map((play) => play.playId));
          setOnline(true);
          continue;
        }
        if (!response.ok) throw new Error(`plays answered ${response.status}`);
        const answer = await response.json();
        setOnline(true);
        for (const refused of answer.refused) console.warn('play refused', refused.playId, refused.reason);
        await forgetPlays([...answer.stored, ...answer.duplicates, ...answer.refused.map((r) => r.playId)]);
        if (batch.length < BATCH) break;
      }
    } catch (error) {
      if (error.unpaired) return unpair();
      setOnline(false);
    } finally {
      state.pendingPlays = await countPlays().catch(() => 0);
      uploading = false;
      updateStatus();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Pairing

  async function unpair() {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(MANIFEST_KEY);
    state.manifest = null;
    state.token = null;
    location.reload();
  }

  async function pair() {
    show('pairing');
    $('console-address').textContent = `${location.origin}/screens`;
    for (;;) {
      try {
        const check = await api('/player/api/pairing');
        const answer = check.ok ? await check.json() : { state: 'unknown' };
        if (answer.state === 'paired') return;
        if (answer.state !== 'waiting') {
          const started = await api('/player/api/pairing', {
            method: 'POST',
            body: JSON.stringify({ token: state.token }),
          });
          if (started.ok) {
            const body = await started.json();
            $('code').textContent = body.code;
            $('code-note').textContent = `配对码 ${body.minutes} 分钟内有效，过期后自动换新码`;
          } else if (started.status === 409 || started.status === 400) {
            // This token belonged to a screen since revoked (an old pairing link): start afresh.
            state.token = randomId(32);
            localStorage.setItem(TOKEN_KEY, state.token);
            continue;
          }
        } else {
          $('code').textContent = answer.code;
        }
        setOnline(true);
      } catch {
        setOnline(false);
        $('code-note').textContent = '连不上服务器，正在重试…';
      }
      await sleep(3000);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Manifest and cache

  function saveManifest(manifest) {
    state.manifest = manifest;
    localStorage.setItem(MANIFEST_KEY, JSON.stringify(manifest));
  }

  async function refreshManifest() {
    try {
      const response = await api('/player/api/manifest');
      if (!response.ok) throw new Error(`manifest answered ${response.status}`);
      const manifest = await response.json();
      state.offsetMs = Date.parse(manifest.serverTime) - Date.now();
      setOnline(true);
      const changed = !state.manifest || state.manifest.version !== manifest.version;
      saveManifest(manifest);
      // A new manifest is a fresh start: what failed before is tried again.
      if (changed) state.problems.clear();
      for (const item of manifest.missing) state.problems.set(item.renderId, item.reason);
      if (changed) {
        syncCache();
        if (state.interrupt && liveWanted() !== !!state.live) state.interrupt();
      }
    } catch (error) {
      if (error.unpaired) return unpair();
      setOnline(false);
    }
  }

  const cacheKey = (item) => `/player/cache/${item.renderId}-${item.sha256}.mp4`;

  async function syncCache() {
    if (state.syncing || !state.manifest) return;
    state.syncing = true;
    try {
      const items = state.manifest.items;
      if (!secure) state.problems.set(0, '非安全来源（不是 https 或本机地址）：无法离线缓存和校验视频');
      const cache = secure ? await caches.open(MEDIA_CACHE) : null;
      const wanted = new Set(items.map(cacheKey));
      if (cache) {
        for (const request of await cache.keys()) {
          if (!wanted.has(new URL(request.url).pathname)) await cache.delete(request);
        }
      }
      for (const id of state.memory.keys()) {
        if (!items.some((item) => item.renderId === id)) state.memory.delete(id);
      }
      let bytes = 0;
      const cached = new Set();
      for (const item of items) {
        if (cache ? await cache.match(cacheKey(item)) : state.memory.has(item.renderId)) {
          cached.add(item.renderId);
          bytes += item.bytes;
          continue;
        }
        // A file that was gone or failed its checksum is tried again with the next manifest.
        if (state.problems.has(item.renderId)) continue;
        try {
          const response = await api(item.url, { timeoutMs: 600_000 });
          if (response.status === 404) {
            state.problems.set(item.renderId, '视频文件已不在服务器上');
            continue;
          }
          if (!response.ok) throw new Error(`media answered ${response.status}`);
          const body = await response.arrayBuffer();
          if (crypto.subtle) {
            const digest = hex(await crypto.subtle.digest('SHA-256', body));
            if (digest !== item.sha256) {
              state.problems.set(item.renderId, '视频文件校验不符，已跳过');
              continue;
            }
          }
          if (cache) {
            await cache.put(
              cacheKey(item),
              new Response(body, {
                headers: { 'Content-Type': 'video/mp4', 'Content-Length': String(body.byteLength) },
              }),
            );
          } else {
            state.memory.set(item.renderId, new Blob([body], { type: 'video/mp4' }));
          }
          state.problems.delete(item.renderId);
          cached.add(item.renderId);
          bytes += body.byteLength;
          // Playable at once, before the rest have come.
          state.cached.add(item.renderId);
          setOnline(true);
        } catch (error) {
          if (error.unpaired) return unpair();
          setOnline(false);
        }
      }
      state.cached = cached;
      state.cachedBytes = bytes;
    } finally {
      state.syncing = false;
    }
  }

  async function mediaUrl(item) {
    if (secure) {
      const cache = await caches.open(MEDIA_CACHE);
      const response = await cache.match(cacheKey(item));
      return response ? URL.createObjectURL(await response.blob()) : null;
    }
    const blob = state.memory.get(item.renderId);
    return blob ? URL.createObjectURL(blob) : null;
  }

  // ---------------------------------------------------------------------------------------------
  // What to play now

  function currentSegment() {
    const manifest = state.manifest;
    const at = now();
    if (at >= Date.parse(manifest.horizon)) return { list: 'group', title: null };
    return manifest.timeline.find((s) => Date.parse(s.from) <= at && at < Date.parse(s.to)) || null;
  }

  function liveWanted() {
    return !!(state.manifest?.live && state.online && Date.now() > state.liveFailedUntil);
  }

  function nextItem(listName) {
    const ids = state.manifest.lists[listName] || [];
    const items = ids
      .map((id) => state.manifest.items.find((item) => item.renderId === id))
      .filter((item) => item && state.cached.has(item.renderId) && !state.problems.has(item.renderId));
    if (items.length === 0) return null;
    const position = (state.position.get(listName) ?? -1) + 1;
    state.position.set(listName, position % items.length);
    return items[position % items.length];
  }

  function showJobs(item) {
    const panel = $('jobs');
    panel.replaceChildren();
    for (const job of item.jobs.slice(0, 3)) {
      const card = document.createElement('div');
      card.className = 'job';
      const title = document.createElement('div');
      title.className = 'job-title';
      title.textContent = job.title;
      const employer = document.createElement('div');
      employer.className = 'job-employer';
      employer.textContent = job.employer;
      const pay = document.createElement('div');
      pay.className = 'job-pay';
      pay.textContent = job.pay;
      card.append(title, employer, pay);
      panel.append(card);
    }
    const more = item.jobs.length - 3;
    if (more > 0) {
      const note = document.createElement('div');
      note.className = 'job-more';
      note.textContent = `另有 ${more} 个岗位见视频`;
      panel.append(note);
    }
    $('site-name').textContent = state.manifest.site.name;
    $('hotline').textContent = state.manifest.site.hotline ? `咨询电话 ${state.manifest.site.hotline}` : '';
    const qr = state.manifest.site.qr;
    $('qr').hidden = !qr;
    $('qr-label').hidden = !qr;
    if (qr && $('qr').getAttribute('src') !== qr) $('qr').src = qr;
  }

  /** Plays one item to its end (or until interrupted) and records the play. */
  async function playItem(item) {
    const url = await mediaUrl(item);
    if (!url) {
      state.cached.delete(item.renderId);
      return;
    }
    show('player');
    showJobs(item);
    state.mode = 'video';
    state.playing = item.renderId;
    const play = {
      playId: randomId(18),
      renderId: item.renderId,
      groupId: state.manifest.screen.groupId ?? null,
      startedAt: null,
      endedAt: null,
      playedMs: 0,
    };
    let lastTime = 0;
    let playedMs = 0;
    await new Promise((resolve) => {
      const finish = () => {
        video.removeEventListener('ended', finish);
        video.removeEventListener('error', failed);
        video.removeEventListener('timeupdate', tick);
        state.interrupt = null;
        resolve();
      };
      const failed = () => {
        state.problems.set(item.renderId, '浏览器无法播放这个视频文件');
        finish();
      };
      const tick = () => {
        if (!play.startedAt && video.currentTime > 0) play.startedAt = new Date().toISOString();
        const t = video.currentTime;
        if (t > lastTime && t - lastTime < 2) playedMs += (t - lastTime) * 1000;
        lastTime = t;
      };
      video.addEventListener('ended', finish);
      video.addEventListener('error', failed);
      video.addEventListener('timeupdate', tick);
      state.interrupt = finish;
      video.muted = true;
      video.src = url;
      video.play().catch(failed);
    });
    if (video.ended && video.duration) playedMs = Math.max(playedMs, video.duration * 1000);
    video.pause();
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
    state.playing = null;
    if (play.startedAt) {
      play.endedAt = new Date().toISOString();
      play.playedMs = Math.round(playedMs);
      await keepPlay(play);
      console.info(`play recorded ${play.playId} ${play.startedAt}`);
      state.pendingPlays = (state.pendingPlays || 0) + 1;
      uploadPlays();
    }
  }

  let mpegtsLoaded = null;
  function loadMpegts() {
    mpegtsLoaded ??= new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/assets/mpegts.js';
      script.onload = () => resolve(window.mpegts);
      script.onerror = reject;
      document.head.append(script);
    });
    return mpegtsLoaded;
  }

  /** The livestream on this group's screens, until it ends, fails or is taken off. */
  async function playLive() {
    const live = state.manifest.live;
    show('player');
    $('jobs').replaceChildren();
    $('site-name').textContent = `直播中：${live.title}`;
    state.mode = 'live';
    try {
      const mpegts = await loadMpegts();
      if (!mpegts?.isSupported()) throw new Error('no MSE');
      const player = mpegts.createPlayer({ type: 'flv', isLive: true, url: live.url });
      state.live = player;
      player.attachMediaElement(video);
      player.load();
      video.muted = true;
      await new Promise((resolve) => {
        const stop = () => {
          state.interrupt = null;
          resolve();
        };
        state.interrupt = stop;
        player.on(mpegts.Events.ERROR, () => {
          state.liveFailedUntil = Date.now() + 60_000;
          stop();
        });
        player.on(mpegts.Events.LOADING_COMPLETE, stop);
        Promise.resolve(player.play()).catch(() => {
          state.liveFailedUntil = Date.now() + 60_000;
          stop();
        });
      });
      player.destroy();
    } catch {
      state.liveFailedUntil = Date.now() + 60_000;
    }
    state.live = null;
  }

  function showIdle(text) {
    show('idle');
    $('idle-site').textContent = state.manifest?.site.name || '';
    $('idle-text').textContent = text;
  }

  async function playLoop() {
    for (;;) {
      try {
        if (liveWanted()) {
          await playLive();
          continue;
        }
        const segment = currentSegment();
        if (!segment) {
          state.mode = 'closed';
          showIdle('今日播放时段已结束');
          await sleep(15_000);
          continue;
        }
        const item = nextItem(segment.list) || (segment.list !== 'group' ? nextItem('group') : null);
        if (!item) {
          state.mode = 'idle';
          showIdle(state.syncing ? '正在下载视频…' : '暂无可播放的视频');
          await sleep(5_000);
          continue;
        }
        await playItem(item);
      } catch (error) {
        console.error('player loop', error);
        state.mode = 'error';
        await sleep(5_000);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Heartbeat

  async function heartbeat() {
    if (!state.token) return;
    const manifest = state.manifest;
    try {
      const response = await api('/player/api/heartbeat', {
        method: 'POST',
        body: JSON.stringify({
          manifestVersion: manifest?.version ?? null,
          playingRenderId: state.playing,
          state: state.mode,
          cachedItems: state.cached.size,
          totalItems: manifest?.items.length ?? 0,
          cachedBytes: state.cachedBytes,
          problems: [...state.problems].slice(0, 200).map(([renderId, reason]) => ({ renderId, reason })),
          pendingPlays: state.pendingPlays || 0,
        }),
      });
      if (!response.ok) throw new Error(`heartbeat answered ${response.status}`);
      const answer = await response.json();
      state.offsetMs = Date.parse(answer.serverTime) - Date.now();
      setOnline(true);
      if (!manifest || answer.manifestVersion !== manifest.version) await refreshManifest();
      uploadPlays();
    } catch (error) {
      if (error.unpaired) return unpair();
      setOnline(false);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Start

  async function start() {
    if ('serviceWorker' in navigator && window.isSecureContext) {
      navigator.serviceWorker.register('/player/sw.js', { scope: '/player/' }).catch((error) => {
        console.warn('service worker', error);
      });
    }
    // A pairing link (/player/#pair=<token>) hands the screen its token: kept, and taken off the address.
    const linked = /^#pair=([A-Za-z0-9_-]{43})$/.exec(location.hash);
    if (linked) {
      if (localStorage.getItem(TOKEN_KEY) !== linked[1]) localStorage.removeItem(MANIFEST_KEY);
      localStorage.setItem(TOKEN_KEY, linked[1]);
      history.replaceState(null, '', location.pathname + location.search);
    }
    state.token = localStorage.getItem(TOKEN_KEY);
    if (!state.token) {
      state.token = randomId(32);
      localStorage.setItem(TOKEN_KEY, state.token);
    }
    const kept = localStorage.getItem(MANIFEST_KEY);
    if (kept) {
      try {
        state.manifest = JSON.parse(kept);
      } catch {
        localStorage.removeItem(MANIFEST_KEY);
      }
    }
    state.pendingPlays = await countPlays().catch(() => 0);
    if (!state.manifest) {
      await pair();
      while (!state.manifest) {
        await refreshManifest();
        if (!state.manifest) await sleep(3000);
      }
    } else {
      refreshManifest();
    }
    updateStatus();
    await syncCache();
    const beat = (beatOverride || state.manifest.beatSeconds || 60) * 1000;
    const upload = (uploadOverride || state.manifest.uploadSeconds || 30) * 1000;
    heartbeat();
    setInterval(heartbeat, beat);
    setInterval(uploadPlays, upload);
    setInterval(() => {
      syncCache();
      // A fair starting, the hall closing or a livestream beginning takes over at once.
      if (state.mode === 'video' && liveWanted() && state.interrupt) state.interrupt();
      if (state.mode === 'live' && !liveWanted() && state.interrupt) state.interrupt();
    }, 15_000);
    playLoop();
  }

  start();
})();
