// nuri service worker: installability, instant repeat visits, and a friendly offline page.
//
// `cargo xtask build` fills in BUILD (the content hash of this build's assets), PKG (their
// directory, /pkg/BUILD) and PRECACHE (the shell: main module, glue, split loader, stylesheet,
// icons and manifest).
//
// - Pages (navigations): network first; offline, a small bilingual page (never a cached page:
//   pages hold people's data).
// - This build's assets (PKG/…): the shell precached at install, a page's chunks cached the first
//   time that page loads them; then cache first. Their names change with
//   their content, so a cached copy is never stale.
// - Icons and the manifest: cache first.
// - /api/ and anything that is not a same-origin GET: never touched, never cached.
//
// A new build means a new BUILD, so a new worker: it installs beside the old one, takes over, and
// deletes every older cache.

const BUILD = "__NURI_BUILD__";
const PKG = "__NURI_PKG__";
const PRECACHE = ["__NURI_PRECACHE__"];
const CACHE = `nuri-${BUILD}`;
const CACHE_FIRST = new Set(["/icon.svg", "/icon-192.png", "/icon-512.png", "/manifest.webmanifest"]);

const OFFLINE_HTML = `<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>오프라인 · Offline · nuri</title>
<link rel="stylesheet" href="${PKG}/nuri.css">
<link rel="icon" href="/icon.svg" type="image/svg+xml">
</head>
<body>
<main id="main" class="auth-page">
<section class="card auth-card">
<p class="tagline">nuri 누리</p>
<h1>오프라인입니다</h1>
<p>인터넷 연결을 확인한 뒤 다시 시도해 주세요.</p>
<h2 lang="en">You are offline</h2>
<p lang="en">Check your connection and try again.</p>
<p><a class="btn primary" href="">다시 시도 · <span lang="en">Try again</span></a></p>
</section>
</main>
</body>
</html>`;

function offlineResponse() {
  return new Response(OFFLINE_HTML, {
    status: 503,
    statusText: "Offline",
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy":
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    },
  });
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // One missing file must not stop the worker from installing.
      .then((cache) => Promise.all(PRECACHE.map((url) => cache.add(url).catch(() => undefined))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith("nuri-") && n !== CACHE).map((n) => caches.delete(n)));
      if (self.registration.navigationPreload) {
        await self.registration.navigationPreload.enable();
      }
      await self.clients.claim();
    })(),
  );
});

async function networkFirstPage(event) {
  try {
    const preloaded = await event.preloadResponse;
    if (preloaded) return preloaded;
    return await fetch(event.request);
  } catch {
    return offlineResponse();
  }
}

function cacheable(response) {
  return response && response.ok && response.type === "basic";
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (cacheable(response)) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/api") return;

  if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(event));
  } else if (CACHE_FIRST.has(url.pathname) || url.pathname.startsWith(`${PKG}/`)) {
    event.respondWith(cacheFirst(request));
  }
  // Everything else goes to the network as if there were no service worker.
});
