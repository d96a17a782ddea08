/* Caravana: the service worker of one rider's page (web/public/offline.py says how it is served).
 *
 * Plain JavaScript, no build step. The server puts one line before this file:
 *   const CARAVANA = {kept: [the page, its PDF, its manifest], assets: [static files]};
 * Its scope is the rider's own link (/my/<token>/): it sees no other page, and it keeps its
 * copy in a cache named after that scope, so two riders on one phone never share a copy.
 *
 * Network first: with signal, every kept file comes from the server and its copy is renewed;
 * without, the copy answers. A 404 or 410 from the server for the link means it was revoked
 * or replaced: the copy is deleted and the worker unregisters, so nothing stays behind.
 */
"use strict";

const SCOPE = self.registration.scope; // "https://host/my/<token>/"
const PREFIX = "caravana-rider-";
const CACHE = PREFIX + "v1 " + SCOPE;

function keyOf(url) {
  const parsed = new URL(url, SCOPE);
  return parsed.origin + parsed.pathname; // no query, no fragment
}

const KEPT = new Set(CARAVANA.kept.map(keyOf));
const ASSETS = new Set(CARAVANA.assets.map(keyOf));

async function keep(url) {
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
  if (response.ok && response.type === "basic") {
    const cache = await caches.open(CACHE);
    await cache.put(keyOf(url), response);
  }
}

self.addEventListener("install", (event) => {
  // The page first (the worker is useless without it), the rest as it comes.
  const page = CARAVANA.kept[0];
  const others = [...CARAVANA.kept.slice(1), ...CARAVANA.assets];
  event.waitUntil(
    keep(page)
      .then(() => Promise.allSettled(others.map(keep)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  // Older copies of this same link (an earlier version of this worker) go.
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith(PREFIX) && name.endsWith(" " + SCOPE) && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function forget() {
  await caches.delete(CACHE);
  await self.registration.unregister();
}

async function answer(request, key, isOwn) {
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const cache = await caches.open(CACHE);
    const copy = await cache.match(key, { ignoreSearch: true, ignoreVary: true });
    if (copy) {
      return copy;
    }
    throw error;
  }
  if (isOwn && (response.status === 404 || response.status === 410)) {
    await forget(); // the link no longer opens anything: keep nothing of it
    return response;
  }
  if (response.ok && response.type === "basic") {
    const cache = await caches.open(CACHE);
    await cache.put(key, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const key = keyOf(request.url);
  const isOwn = KEPT.has(key);
  if (!isOwn && !ASSETS.has(key)) {
    return; // anything else is the browser's business, never kept
  }
  event.respondWith(answer(request, key, isOwn));
});
