(function () {
  'use strict';
  var root = "{{root}}";
  if (location.protocol !== 'http:' && location.protocol !== 'https:') { return; }
  /* The index: the feed's full address, to paste into a podcast app. */
  var feed = document.getElementById('feed');
  if (feed && !/^https?:/.test(feed.textContent)) { feed.textContent = feed.href; }
  var manifest = document.createElement('link');
  manifest.rel = 'manifest';
  manifest.href = root + "{{appManifest}}";
  document.head.appendChild(manifest);
  if (!('serviceWorker' in navigator)) { return; }
  /* Offline use is a bonus: the page works the same without the worker. */
  navigator.serviceWorker.register(root + "{{serviceWorker}}", { scope: root }).catch(function () {});

  var audio = document.getElementById('audio');
  function keep() {
    var worker = navigator.serviceWorker.controller;
    if (worker && audio.currentSrc) {
      worker.postMessage({ type: 'keep', urls: [location.href.split('#')[0], audio.currentSrc] });
    }
  }
  if (audio) {
    audio.addEventListener('playing', keep);
    navigator.serviceWorker.addEventListener('controllerchange', function () { if (!audio.paused) { keep(); } });
  }

  /* The index: "kept for offline use" on each session whose track the worker keeps. */
  var sessions = document.querySelectorAll('[data-track]');
  if (!sessions.length || !window.caches) { return; }
  var cacheName = 'cadence-site ' + new URL(root, location.href).href;
  caches.has(cacheName).then(function (exists) {
    if (!exists) { return; }
    return caches.open(cacheName).then(function (cache) {
      Array.prototype.forEach.call(sessions, function (session) {
        cache.match(new URL(session.getAttribute('data-track'), location.href).href).then(function (kept) {
          var mark = session.querySelector('.offline');
          if (kept && mark) { mark.hidden = false; }
        });
      });
    });
  }).catch(function () {});
})();
