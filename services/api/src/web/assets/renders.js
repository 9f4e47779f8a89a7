// 岗播 制作: follows unfinished renders without a reload, and offers only the templates of the chosen
// kind. The page works without it (a reload shows the same).

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

document.addEventListener('DOMContentLoaded', () => {
  for (const board of document.querySelectorAll('[data-render-states]')) watchRenders(board);
  for (const form of document.querySelectorAll('form[data-render-form]')) {
    followKind(form);
    followVoice(form);
  }
});
