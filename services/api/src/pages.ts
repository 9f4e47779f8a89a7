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
 * The pages' headers: scripts and styles by nonce only, images as data: URLs, requests to this
 * origin only. The console also plays the stream service's HTTP-FLV preview: `preview` adds that
 * origin for fetching and `blob:` for the media source the player builds from it.
 */
export function pageHeaders(nonce: string, preview?: { origin: string }): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      'img-src data:',
      preview ? `connect-src 'self' ${preview.origin}` : "connect-src 'self'",
      ...(preview ? ['media-src blob:'] : []),
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '),
    // The overlay's address is its password: it must not leave in a Referer header.
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}
