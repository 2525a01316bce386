/* 农安巡查 service worker: keeps the app shell and the inspector's plan so that the list and the form
   open without signal. Pages and plan: network first (with a short wait), the cached copy otherwise.
   Static files: cache first (their version is in VERSION). Records are never sent from here: the page
   keeps them in IndexedDB and posts them itself (static/js/field/outbox.js). */
"use strict";
const VERSION = "{{ version }}";
const SHELL_CACHE = "field-shell-" + VERSION;
const DATA_CACHE = "field-data";            // this user's pages and plan: cleared on logout or user change
const SHELL = {{ shell|safe }};
const PAGES = {{ pages|safe }};
const NETWORK_WAIT = 4000;                  // on a weak signal, show the cached copy after this many ms
const OFFLINE_PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ app_name }}</title></head><body style="font:18px/1.6 sans-serif;padding:20px"><h1>{{ app_name }}</h1><p>{{ offline_text }}</p></body></html>`;

function cacheable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

async function remember(cache, key, response) {
  if (cacheable(response)) {
    await cache.put(key, response.clone());
  } else if (response.type === "opaqueredirect" || response.redirected || response.status === 401) {
    await caches.delete(DATA_CACHE);        // logged out: leave nothing of this user's behind
  }
  return response;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const shell = await caches.open(SHELL_CACHE);
    await shell.addAll(SHELL);
    const data = await caches.open(DATA_CACHE);
    await Promise.all(PAGES.map((url) => fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then((response) => remember(data, url, response)).catch(() => null)));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith("field-shell-") && n !== SHELL_CACHE)
      .map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

async function fromCache(key) {
  const cache = await caches.open(DATA_CACHE);
  const copy = await cache.match(key);
  if (!copy) return null;
  const headers = new Headers(copy.headers);
  headers.set("X-Field-Cache", "hit");      // the page knows the plan is a copy (user checks need a fresh one)
  return new Response(await copy.blob(), { status: copy.status, statusText: copy.statusText, headers });
}

async function networkFirst(request, key) {
  const cache = await caches.open(DATA_CACHE);
  const network = fetch(request).then((response) => remember(cache, key, response));
  network.catch(() => null);
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT))
    .then(async () => (await fromCache(key)) || network);
  try {
    return await Promise.race([network, slow]);
  } catch (error) {
    const copy = await fromCache(key);
    if (copy) return copy;
    if (request.mode === "navigate") {
      return (await fromCache("/field/")) || new Response(OFFLINE_PAGE, {
        status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    }
    throw error;
  }
}

async function cacheFirst(request, path) {
  const cache = await caches.open(SHELL_CACHE);
  const copy = await cache.match(path);
  if (copy) return copy;
  const response = await fetch(request);
  if (cacheable(response)) await cache.put(path, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (SHELL.includes(url.pathname)) {
    event.respondWith(cacheFirst(request, url.pathname));
  } else if (PAGES.includes(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname));
  }
});
