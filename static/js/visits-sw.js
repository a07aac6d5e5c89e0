// Service worker of the visit form (GRID-3), served at /visits/sw.js with the scope /visits/.
// It keeps the visit form page and the files it loads, so the form opens on a phone without a
// connection; what is typed is kept and sent by static/js/visits.js. Nothing else is cached: every
// other page and every POST goes to the network as usual.
"use strict";
var CACHE = "visits-v1";
var FORM = "/visits/new/";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.add(new Request(FORM, { credentials: "same-origin" })).catch(function () {});
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var isForm = url.pathname === FORM;
  var isStatic = url.pathname.indexOf("/static/") === 0;
  if (!isForm && !isStatic) return;
  // network first (fresh page, fresh CSRF token); the kept copy when there is no connection
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(isForm ? FORM : request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(isForm ? FORM : request).then(function (hit) {
      return hit || Response.error();
    });
  }));
});
