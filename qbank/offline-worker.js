// The site's service worker, written to <site>/sw.js by the build (qbank/offline.py fills in the
// version and the precache list). After one visit the site works without a network.
//
// - install: store every page and file a candidate needs offline in a cache named after this
//   build's version, then take over at once (skipWaiting): the pages and data it serves are
//   fetched from the network first, so an old page never meets a new script.
// - activate: delete the caches of older versions and control the open pages (clients.claim).
// - fetch: the theme's files named by their content hash, and images, from the cache first (they
//   never change under the same name); everything else (pages, our scripts and styles, the
//   practice data) from the network first, so a new deploy shows at once, falling back to the
//   cache when the network fails or is slower than NETWORK_TIMEOUT_MS. Pages, the search index
//   and other files are kept as they are visited; a page never visited shows the offline page.
"use strict";

const VERSION = "__VERSION__";
const PREFIX = "ml-infra-interviews-";
const CACHE = PREFIX + VERSION;
const PRECACHE = ["__PRECACHE__"];
const OFFLINE_PAGE = "__OFFLINE_PAGE__";
const NETWORK_TIMEOUT_MS = 4000;

const ROOT = new URL("./", self.location.href);
const SELF = new URL("sw.js", ROOT).href;
const absolute = (path) => new URL(path, ROOT).href;
const PRECACHED = new Set(PRECACHE.map(absolute));
// Big downloads (the Anki deck, the CSV, the whole bank) are never stored.
const NOT_KEPT = new RegExp("^" + ROOT.pathname + "downloads/");
const IMMUTABLE = /\.[0-9a-f]{8,}\.min\.(?:js|css)$|\.(?:png|svg|ico|webp|woff2?)$/;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // cache: "reload" skips the HTTP cache, so the new version stores the new files.
    await cache.addAll(PRECACHE.map((path) => new Request(absolute(path), { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

function isPage(url) {
  return url.pathname.endsWith("/") || url.pathname.endsWith(".html");
}

// A page is stored under its address without the query (practice/?topic=gpus is practice/).
function cacheKey(url, page) {
  return page ? url.origin + url.pathname : url.href;
}

function keep(url, page) {
  return page || PRECACHED.has(url.href) || !NOT_KEPT.test(url.pathname);
}

async function fromCache(request, url, page) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(cacheKey(url, page));
  if (hit || !page) return hit;
  return cache.match(absolute(OFFLINE_PAGE));
}

async function store(url, page, response) {
  if (response.ok && response.type === "basic" && keep(url, page)) {
    const cache = await caches.open(CACHE);
    await cache.put(cacheKey(url, page), response);
  }
}

async function cacheFirst(event, url) {
  const hit = await fromCache(event.request, url, false);
  if (hit) return hit;
  const response = await fetch(event.request);
  event.waitUntil(store(url, false, response.clone()));
  return response;
}

function networkFirst(event, url, page) {
  const network = fetch(event.request);
  event.waitUntil(network.then((response) => store(url, page, response.clone())).catch(() => undefined));
  const fallback = network.catch(async () => {
    const hit = await fromCache(event.request, url, page);
    return hit || Response.error();
  });
  // A slow network (a train between stations): after a while, a stored copy will do.
  const slow = new Promise((resolve) => {
    setTimeout(async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(cacheKey(url, page));
      if (hit) resolve(hit);
    }, NETWORK_TIMEOUT_MS);
  });
  return Promise.race([fallback, slow]);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range")) return;
  const url = new URL(request.url);
  if (url.origin !== ROOT.origin || !url.pathname.startsWith(ROOT.pathname) || url.href === SELF) return;
  const page = isPage(url);
  event.respondWith(!page && IMMUTABLE.test(url.pathname) ? cacheFirst(event, url) : networkFirst(event, url, page));
});
