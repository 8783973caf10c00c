/* Cadence library site: keeps the pages and tracks that were opened, for use offline. */
'use strict';
var scope = self.registration.scope;
var CACHE = 'cadence-site ' + scope;
var TRACK = /\.(mp3|opus)$/;
/* Track URL -> promise of its kept response, while it is being fetched. */
var downloads = new Map();

/* The icon and the web app manifest are kept at once: every page asks for them. */
self.addEventListener('install', function (event) {
  self.skipWaiting();
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(["{{icon}}", "{{appManifest}}"].map(function (name) { return new URL(name, scope).href; }));
  }).catch(function () {}));
});
/* The pages open now are listed before the worker takes control: once it has, a page may be
   closed at any moment, and it is kept all the same. */
self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
    return self.clients.claim().then(function () {
      return Promise.all(windows.map(function (client) { return keepPage(client.url).catch(function () {}); }));
    });
  }));
});

function inScope(url) { return typeof url === 'string' && url.indexOf(scope) === 0; }
function isTrack(url) { return TRACK.test(new URL(url).pathname); }
/* A page is kept without its query and fragment; a folder's address is its index.html. */
function pageKey(url) {
  var address = new URL(url);
  address.hash = '';
  address.search = '';
  if (address.pathname.slice(-1) === '/') { address.pathname += 'index.html'; }
  return address.href;
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET' || !inScope(request.url)) { return; }
  event.respondWith(isTrack(request.url) ? track(event) : page(event));
});

self.addEventListener('message', function (event) {
  var data = event.data || {};
  if (data.type !== 'keep' || !Array.isArray(data.urls)) { return; }
  event.waitUntil(Promise.all(data.urls.filter(inScope).map(function (url) {
    if (!isTrack(url)) { return keepPage(url); }
    return caches.open(CACHE).then(function (cache) { return cache.match(url); }).then(function (kept) {
      return kept || download(url, null);
    });
  })).catch(function () {}));
});

function page(event) {
  var request = event.request, key = pageKey(request.url);
  return caches.open(CACHE).then(function (cache) {
    return fetch(request, { cache: 'no-cache' }).then(function (response) {
      if (response.ok && response.type === 'basic') { event.waitUntil(cache.put(key, response.clone())); }
      return response;
    }, function (error) {
      return cache.match(key).then(function (kept) {
        if (kept) { return kept; }
        throw error;
      });
    });
  });
}

function keepPage(url) {
  if (!inScope(url)) { return Promise.resolve(); }
  var key = pageKey(url);
  return caches.open(CACHE).then(function (cache) {
    return cache.match(key).then(function (kept) {
      if (kept) { return undefined; }
      return fetch(key).then(function (response) { return response.ok ? cache.put(key, response) : undefined; });
    });
  });
}

function track(event) {
  var request = event.request, url = request.url, range = request.headers.get('range');
  return caches.open(CACHE).then(function (cache) { return cache.match(url); }).then(function (kept) {
    if (kept) { return slice(kept, range); }
    var pending = downloads.get(url);
    if (!pending && (!range || /^bytes=0-$/.test(range.trim()))) { return stream(event); }
    return (pending || download(url, event)).then(function (stored) { return slice(stored, range); },
      function () { return fetch(request); });
  });
}

/* The first request for a track: one download, both played and kept. */
function stream(event) {
  var request = event.request, url = request.url, range = request.headers.get('range');
  var split = fetch(url).then(function (response) {
    if (response.status !== 200 || !response.body) { throw new Error('no whole file to keep'); }
    var parts = response.body.tee();
    return { response: response, play: parts[0], keep: parts[1] };
  });
  remember(url, split.then(function (s) {
    return store(url, new Response(s.keep, { status: 200, headers: s.response.headers }));
  }), event);
  return split.then(function (s) {
    var headers = new Headers(s.response.headers), length = s.response.headers.get('content-length');
    if (range && length) {
      headers.set('Content-Range', 'bytes 0-' + (Number(length) - 1) + '/' + length);
      return new Response(s.play, { status: 206, statusText: 'Partial Content', headers: headers });
    }
    return new Response(s.play, { status: 200, headers: headers });
  }, function () { return fetch(request); });
}

function download(url, event) {
  var pending = downloads.get(url);
  if (pending) { return pending; }
  pending = fetch(url).then(function (response) {
    if (response.status !== 200) { throw new Error('no whole file to keep'); }
    return store(url, response);
  });
  remember(url, pending, event);
  return pending;
}

function remember(url, pending, event) {
  downloads.set(url, pending);
  var done = function () { if (downloads.get(url) === pending) { downloads.delete(url); } };
  pending.then(done, done);
  if (event) { event.waitUntil(pending.catch(function () {})); }
}

/* Keeps a whole track, drops its other versions, and gives back the kept copy. */
function store(url, response) {
  return caches.open(CACHE).then(function (cache) {
    return cache.put(url, response).then(function () { return cache.keys(); }).then(function (requests) {
      var path = new URL(url).pathname;
      return Promise.all(requests.filter(function (kept) {
        return kept.url !== url && new URL(kept.url).pathname === path;
      }).map(function (old) { return cache.delete(old); }));
    }).then(function () { return cache.match(url); });
  });
}

/* The part of a kept track a Range header asks for (206), or all of it. */
function slice(stored, range) {
  var match = range && /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!stored || !match || (match[1] === '' && match[2] === '')) { return stored; }
  return stored.blob().then(function (blob) {
    var size = blob.size, start, end;
    if (match[1] === '') {
      start = Math.max(0, size - Number(match[2]));
      end = size - 1;
    } else {
      start = Number(match[1]);
      end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    }
    if (start >= size || start > end) {
      return new Response('', { status: 416, headers: { 'Content-Range': 'bytes */' + size } });
    }
    return new Response(blob.slice(start, end + 1), { status: 206, statusText: 'Partial Content', headers: {
      'Content-Type': stored.headers.get('content-type') || 'application/octet-stream',
      'Content-Length': String(end - start + 1),
      'Content-Range': 'bytes ' + start + '-' + end + '/' + size,
      'Accept-Ranges': 'bytes'
    } });
  });
}
