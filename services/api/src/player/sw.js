// JobCast screen player's service worker: keeps the player itself (page, script, style, the live
// player) so that a screen restarted while the server is down still opens and plays its cache.
const SHELL_CACHE = 'jobcast-player-shell-v1';
const SHELL = ['/player/', '/player/player.js', '/player/player.css', '/assets/mpegts.js'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  const path = event.request.mode === 'navigate' && url.pathname === '/player/' ? '/player/' : url.pathname;
  if (!SHELL.includes(path)) return;
  // The server's copy when it answers (and keep it); the kept one when it does not.
  event.respondWith(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      try {
        const response = await fetch(event.request, { signal: AbortSignal.timeout(5000) });
        if (response.ok) {
          await cache.put(path, response.clone());
          return response;
        }
        // A proxy's 502 page while the server is down: the kept player is better.
        return (await cache.match(path)) ?? response;
      } catch {
        const kept = await cache.match(path);
        if (kept) return kept;
        throw new Error('offline and not cached');
      }
    })(),
  );
});
