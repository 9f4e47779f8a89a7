// Loaded into every page of console-language-browser.test.ts (addInitScript): what the test reads
// of a page and how it sends a page's forms, run in the browser.
globalThis.consoleLanguage = {
  /**
   * What a person reads, as {where, text} holding a Latin letter: visible text outside code, keyboard
   * keys, preformatted text and what is marked `data-latin-ok` (user data such as a device's user
   * agent), the choices of every list, placeholders, tooltips, button captions and the tab's title.
   */
  latinText() {
    const skip = 'code, kbd, pre, samp, script, style, noscript, template, [data-latin-ok]';
    const where = (el) => {
      const marked = el.closest('[data-field], [id], [class]') ?? el;
      const cls = marked.getAttribute('class')?.split(/\s+/)[0];
      const field = marked.getAttribute('data-field');
      return `${marked.tagName.toLowerCase()}${marked.id ? `#${marked.id}` : ''}${cls ? `.${cls}` : ''}${field ? `[${field}]` : ''}`;
    };
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      const text = node.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      if (!el || !/[A-Za-z]/.test(text) || el.closest(skip)) continue;
      if (!el.closest('option, optgroup') && !el.checkVisibility({ visibilityProperty: true })) continue;
      found.push({ where: where(el), text });
    }
    const attributed = document.querySelectorAll(
      '[placeholder], [title], [aria-label], img[alt], input[type=submit], input[type=button], optgroup[label]',
    );
    for (const el of attributed) {
      if (el.closest(skip)) continue;
      for (const name of ['placeholder', 'title', 'aria-label', 'alt', 'label']) {
        const text = el.getAttribute(name)?.trim();
        if (text && /[A-Za-z]/.test(text)) found.push({ where: `${where(el)}@${name}`, text });
      }
      if (el instanceof HTMLInputElement && /[A-Za-z]/.test(el.value)) found.push({ where: where(el), text: el.value });
    }
    if (/[A-Za-z]/.test(document.title)) found.push({ where: 'title', text: document.title });
    return found;
  },

  forms() {
    return [...document.forms].map((form) => ({ action: form.getAttribute('action') ?? '', method: form.method }));
  },

  /** The browser's own checks off, so the server answers. */
  skipBrowserChecks() {
    for (const form of document.forms) form.noValidate = true;
  },

  /**
   * Sends form `index` with its fields emptied, or with wrong values in them (a choice no list
   * offers, a negative fraction for a number, punctuation for text and dates); false if there is none.
   */
  sendForm(index, values) {
    const form = document.forms[index];
    if (!form) return false;
    form.noValidate = true;
    for (const field of form.querySelectorAll('input, textarea, select')) {
      if (field instanceof HTMLSelectElement) {
        if (values === 'wrong') {
          const option = document.createElement('option');
          option.value = '无此项';
          field.append(option);
          field.value = '无此项';
        }
        continue;
      }
      if (['hidden', 'checkbox', 'radio', 'submit', 'button', 'file'].includes(field.type)) continue;
      if (values === 'empty') {
        field.value = '';
      } else {
        const wrong = field.type === 'number' ? '-3.5' : '！？';
        if (field instanceof HTMLInputElement) field.type = 'text';
        field.value = wrong;
      }
    }
    const submit = form.querySelector('button:not([type=button]), input[type=submit]');
    if (submit) submit.click();
    else form.requestSubmit();
    return true;
  },
};
