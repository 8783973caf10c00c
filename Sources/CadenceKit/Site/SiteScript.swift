/// The script every page of a library site runs besides its own (the index and each player page):
/// over http and https it links the web app manifest and registers the service worker (see
/// `SiteServiceWorker`), and on a player page asks the worker to keep the page and its track once
/// the track plays. On the index it shows the feed's full address and marks the sessions whose
/// track is kept for use offline. Opened
/// from files it does nothing: everything is on the device, and a manifest or a worker would
/// only be refused there.
enum SiteScript {
    /// The script for a page at `root` from the site's folder (`./` for the index, `../` for a
    /// player page in `tracks/`).
    static func javaScript(root: String) -> String {
        """
        (function () {
          'use strict';
          var root = \(TimelineJSON.string(root));
        """ + body
    }

    private static let body = #"""

          if (location.protocol !== 'http:' && location.protocol !== 'https:') { return; }
          /* The index: the feed's full address, to paste into a podcast app. */
          var feed = document.getElementById('feed');
          if (feed && !/^https?:/.test(feed.textContent)) { feed.textContent = feed.href; }
          var manifest = document.createElement('link');
          manifest.rel = 'manifest';
          manifest.href = root + \#(TimelineJSON.string(SiteLayout.appManifest));
          document.head.appendChild(manifest);
          if (!('serviceWorker' in navigator)) { return; }
          /* Offline use is a bonus: the page works the same without the worker. */
          navigator.serviceWorker.register(root + \#(TimelineJSON.string(SiteLayout.serviceWorker)), { scope: root }).catch(function () {});

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

        """#
}
