import { randomBytes } from 'node:crypto';

/** A fresh nonce per page: only the page's own script and style run, whatever text reaches it. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * A value for `<script type="application/json">`: `<`, `>` and `&` as \u escapes, so no text in it
 * (a job titled `</script><script>…`) can end the element; JSON.parse reads them back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The overlay's headers: scripts and styles by nonce only, images as data: URLs, requests to this
 * origin only.
 */
export function pageHeaders(nonce: string): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      'img-src data:',
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '),
    // The overlay's address is its password: it must not leave in a Referer header.
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}
