// 岗播 制作: follows unfinished renders without a reload, offers only the templates of the chosen
// kind and the fields of the chosen template, and uploads clips, photos and music. The page works
// without it (a reload shows the same), except for the uploads, which need it.

/** How often an unfinished render is asked about. */
const RENDER_POLL_MS = 2000;

function renderFinished(status) {
  return status === 'done' || status === 'failed';
}

/** Redraws a watched element (a table row, or the detail's summary) from GET /api/renders/{id}. */
function showRender(element, render, states) {
  element.setAttribute('data-status', render.status);
  const state = states[render.status];
  const badge = element.querySelector('[data-field="status"]');
  if (badge && state) {
    badge.textContent = state.label;
    badge.className = state.badge;
  }
  const progress = element.querySelector('[data-field="progress"]');
  if (progress) progress.value = render.progress;
  const percent = element.querySelector('[data-field="percent"]');
  if (percent) percent.textContent = `${render.progress}%`;
}

function watchRenders(board) {
  const states = JSON.parse(board.getAttribute('data-render-states') || '{}');
  const reloadWhenFinished = board.hasAttribute('data-reload-when-finished');
  const watched = board.hasAttribute('data-render-id') ? [board] : [...board.querySelectorAll('[data-render-id]')];
  async function poll() {
    const pending = watched.filter((element) => !renderFinished(element.getAttribute('data-status')));
    if (pending.length === 0) return;
    await Promise.all(
      pending.map(async (element) => {
        try {
          const render = await jobcastApi(`/api/renders/${element.getAttribute('data-render-id')}`);
          showRender(element, render, states);
          // The detail page shows the preview, the download or the error once the render has finished.
          if (reloadWhenFinished && renderFinished(render.status)) window.location.reload();
        } catch {
          // A missed answer (network, restart) is asked again next round.
        }
      }),
    );
    setTimeout(poll, RENDER_POLL_MS);
  }
  setTimeout(poll, RENDER_POLL_MS);
}

/** Templates and fields of the other kinds are set aside, so the form cannot ask for a poster from a video template. */
function followKind(form) {
  const kindSelect = form.querySelector('[data-kind-select]');
  const templateSelect = form.querySelector('[data-template-select]');
  if (!kindSelect || !templateSelect) return;
  const apply = () => {
    const kind = kindSelect.value;
    for (const group of templateSelect.querySelectorAll('optgroup')) {
      const other = group.getAttribute('data-kind') !== kind;
      group.disabled = other;
      group.hidden = other;
    }
    const chosen = templateSelect.selectedOptions[0];
    if (!chosen || chosen.parentElement.disabled) {
      const first = templateSelect.querySelector(`optgroup[data-kind="${kind}"] option`);
      if (first) first.selected = true;
    }
    for (const fieldset of form.querySelectorAll('fieldset[data-kinds]')) {
      const other = !fieldset.getAttribute('data-kinds').split(' ').includes(kind);
      fieldset.disabled = other;
      fieldset.hidden = other;
    }
  };
  kindSelect.addEventListener('change', apply);
  apply();
}

/** The voice sample plays the voice and pace chosen now, not the ones the page was drawn with. */
function followVoice(form) {
  const voice = form.querySelector('[data-voice-select]');
  const rate = form.querySelector('[data-rate-select]');
  const player = form.querySelector('[data-voice-preview]');
  if (!voice || !rate || !player) return;
  const apply = () => {
    const params = new URLSearchParams({ voice: voice.value, rate: rate.value || '1' });
    player.src = `/api/voices/preview?${params}`;
  };
  voice.addEventListener('change', apply);
  rate.addEventListener('change', apply);
}

/**
 * The fields a template does not use are set aside: the clip picker but for a footage video, the
 * explainer's text but for a policy explainer, the job picker for a template that shows no job.
 */
function followTemplate(form) {
  const kindSelect = form.querySelector('[data-kind-select]');
  const templateSelect = form.querySelector('[data-template-select]');
  if (!kindSelect || !templateSelect) return;
  const apply = () => {
    const kind = kindSelect.value;
    const chosen = templateSelect.selectedOptions[0];
    const uses = (flag) => kind === 'video' && Boolean(chosen?.hasAttribute(`data-${flag}`));
    for (const fieldset of form.querySelectorAll('fieldset[data-template-needs]')) {
      const off = !uses(fieldset.getAttribute('data-template-needs'));
      fieldset.disabled = off;
      fieldset.hidden = off;
    }
    const noJobs = chosen?.getAttribute('data-jobs-max') === '0';
    for (const picker of form.querySelectorAll('[data-job-picker]')) {
      const kinds = picker.getAttribute('data-kinds');
      const off = noJobs || (kinds !== null && !kinds.split(' ').includes(kind));
      picker.hidden = off;
      if (picker.tagName === 'FIELDSET') picker.disabled = off;
      else for (const input of picker.querySelectorAll('input')) input.disabled = off;
    }
  };
  // Registered after followKind's: its redraw for a new kind comes first, this one refines it.
  kindSelect.addEventListener('change', apply);
  templateSelect.addEventListener('change', apply);
  apply();
}

/** The clip picker's rows: one more, one up, one gone (a blank row stays for the next pick). */
function followClipPicks(form) {
  const list = form.querySelector('[data-clip-picks]');
  const template = form.querySelector('template[data-clip-template]');
  if (!list || !template) return;
  const addRow = () => {
    const row = template.content.firstElementChild.cloneNode(true);
    list.append(row);
    return row;
  };
  form.querySelector('[data-pick-add]')?.addEventListener('click', () => {
    addRow().querySelector('select')?.focus();
  });
  list.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    const row = button?.closest('[data-clip-pick]');
    if (!row) return;
    if (button.hasAttribute('data-pick-remove')) {
      row.remove();
      if (!list.querySelector('[data-clip-pick]')) addRow();
    }
    if (button.hasAttribute('data-pick-up') && row.previousElementSibling) {
      row.previousElementSibling.before(row);
    }
  });
}

/** 7200 → "2 小时", 725 → "12 分 5 秒": as the page says it (formatDuration on the server). */
function durationText(seconds) {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} 秒`;
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return minutes > 0 ? `${hours} 小时 ${minutes} 分` : `${hours} 小时`;
  return rest > 0 ? `${minutes} 分 ${rest} 秒` : `${minutes} 分钟`;
}

/** "视频 · 竖屏 · 2 秒 · 有原声" from GET /api/assets's view, as the page draws it (assetLine). */
function assetLine(asset) {
  const parts = [];
  if (asset.kind === 'clip') parts.push('视频');
  if (asset.kind === 'photo') parts.push('照片');
  if (asset.orientation && asset.kind !== 'music') parts.push(asset.orientation === 'portrait' ? '竖屏' : '横屏');
  if (asset.durationS !== null) parts.push(durationText(asset.durationS));
  if (asset.kind === 'clip') parts.push(asset.hasAudio ? '有原声' : '无原声');
  return parts.join(' · ');
}

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** POST /api/assets with the session: resolves with the asset, rejects with the server's reason. */
function uploadAsset(kind, file, onProgress) {
  return new Promise((resolve, reject) => {
    const body = new FormData();
    // The kind first: a file over its kind's limit is then refused as it arrives.
    body.append('kind', kind);
    body.append('file', file);
    const request = new XMLHttpRequest();
    request.open('POST', '/api/assets');
    request.setRequestHeader('Accept', 'application/json');
    request.setRequestHeader('X-CSRF-Token', jobcastCsrf());
    request.responseType = 'json';
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      const data = request.response || {};
      if (request.status === 201) resolve(data);
      else reject(new Error(data.message || `「${file.name}」上传失败（HTTP ${request.status}），请重试`));
    });
    request.addEventListener('error', () => reject(new Error(`「${file.name}」网络中断，没有传完，请重新上传`)));
    request.send(body);
  });
}

/** A photo by its type (or its name, where the browser gives no type, as for HEIC); else a clip. */
function kindOfFile(file) {
  if (file.type.startsWith('image/')) return 'photo';
  if (file.type.startsWith('video/')) return 'clip';
  return /\.(?:jpe?g|png|webp|heic|heif|avif)$/i.test(file.name) ? 'photo' : 'clip';
}

/** A clip, photo or track just taken: into the lists and every picker, without a reload. */
function showAsset(page, asset) {
  const label = `#${asset.id} ${asset.name}（${assetLine(asset)}）`;
  if (asset.kind === 'music') {
    const rows = page.querySelector('[data-asset-list="music"]');
    const row = element('tr', { 'data-asset-id': String(asset.id) });
    row.append(element('td', {}, asset.name), element('td', { class: 'num' }, durationText(asset.durationS || 0)));
    const player = element('audio', { controls: '', preload: 'none', src: asset.fileUrl });
    const cell = element('td');
    cell.append(player);
    row.append(cell);
    rows?.prepend(row);
    const music = page.querySelector('select[name="music"]');
    if (music) {
      let group = music.querySelector('optgroup[data-library-music]');
      if (!group) {
        group = element('optgroup', { label: '音乐库', 'data-library-music': '' });
        music.insertBefore(group, music.querySelector('option[value="none"]'));
      }
      group.prepend(
        element('option', { value: asset.music }, `${asset.name}（${durationText(asset.durationS || 0)}）`),
      );
    }
  } else {
    const card = element('li', { class: 'asset-card', 'data-asset-id': String(asset.id) });
    card.append(
      element('img', { src: asset.thumbnailUrl, alt: '', loading: 'lazy' }),
      element('span', { class: 'asset-name' }, `#${asset.id} ${asset.name}`),
      element('span', { class: 'muted' }, assetLine(asset)),
    );
    page.querySelector('[data-asset-list="footage"]')?.prepend(card);
    const selects = [
      ...page.querySelectorAll('select[data-asset-select]'),
      ...[...page.querySelectorAll('template[data-clip-template]')].flatMap((t) => [
        ...t.content.querySelectorAll('select[data-asset-select]'),
      ]),
    ];
    for (const select of selects) {
      select
        .querySelector(`optgroup[data-kind="${asset.kind}"]`)
        ?.prepend(element('option', { value: String(asset.id) }, label));
    }
    const photos = page.querySelector('[data-photo-picks]');
    if (asset.kind === 'photo' && photos) {
      const pick = element('label', { class: 'photo-pick' });
      pick.append(
        element('input', { type: 'checkbox', name: 'explainerImage', value: String(asset.id) }),
        element('img', { src: asset.thumbnailUrl, alt: '', loading: 'lazy' }),
        element('span', {}, asset.name),
      );
      photos.querySelector('[data-empty]')?.remove();
      photos.append(pick);
    }
  }
  page.querySelector(`[data-empty-for="${asset.kind === 'music' ? 'music' : 'footage'}"]`)?.remove();
}

/** The uploads of 素材 and 音乐库: one file after another, each saying how it went beside its input. */
function followUploads(page) {
  for (const input of page.querySelectorAll('input[type="file"][data-upload]')) {
    const status = input.closest('.upload')?.querySelector('[data-upload-status]');
    input.addEventListener('change', async () => {
      const files = [...input.files];
      input.value = '';
      for (const file of files) {
        const line = element('li', {}, `「${file.name}」上传中…`);
        status?.append(line);
        const kind = input.getAttribute('data-upload') === 'music' ? 'music' : kindOfFile(file);
        try {
          const asset = await uploadAsset(kind, file, (fraction) => {
            line.textContent =
              fraction < 1
                ? `「${file.name}」上传中 ${Math.round(fraction * 100)}%…`
                : `「${file.name}」已传完，正在检查…`;
          });
          line.className = 'ok';
          line.textContent = `「${asset.name}」已加入：${assetLine(asset)}`;
          showAsset(page, asset);
        } catch (error) {
          line.className = 'bad';
          line.setAttribute('role', 'alert');
          line.textContent = error.message;
        }
      }
    });
  }
}

document.addEventListener('DOMContentLoaded', () => {
  for (const board of document.querySelectorAll('[data-render-states]')) watchRenders(board);
  for (const form of document.querySelectorAll('form[data-render-form]')) {
    followKind(form);
    followTemplate(form);
    followClipPicks(form);
    followVoice(form);
  }
  if (document.querySelector('[data-media-library]')) followUploads(document);
});
