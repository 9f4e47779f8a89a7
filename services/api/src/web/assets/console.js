// 岗播 console: small progressive enhancements; every page works without them.

/** The session's CSRF token, for scripts that change something through the API. */
function jobcastCsrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute('content') : '';
}

/** Calls the API with the session cookie (and the CSRF token when it changes something). */
// biome-ignore lint/correctness/noUnusedVariables: a global for the pages' own scripts (renders.js, live.js)
async function jobcastApi(path, options = {}) {
  const method = options.method || 'GET';
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = jobcastCsrf();
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const data = await response.json().catch(() => ({}));
  // The API says what went wrong in Chinese; an answer without a message (a proxy's page) is named by its status.
  if (!response.ok) throw new Error(data.message || `服务器没有正常应答（状态码 ${response.status}），请稍后重试`);
  return data;
}

document.addEventListener('DOMContentLoaded', () => {
  // <button data-copy="text">: copies the text and says so.
  for (const button of document.querySelectorAll('[data-copy]')) {
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(button.getAttribute('data-copy') || '');
        const label = button.textContent;
        button.textContent = '已复制';
        setTimeout(() => {
          button.textContent = label;
        }, 1500);
      } catch {
        button.textContent = '请手动复制';
      }
    });
  }
  // <form data-confirm="text">: asks before submitting.
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.getAttribute('data-confirm') || '确定吗？')) event.preventDefault();
    });
  }
});
