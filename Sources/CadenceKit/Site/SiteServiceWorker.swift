/// The site's service worker, `sw.js`, which makes a site served over http or https work offline:
/// it keeps every page and every track the person opened, and serves them when the network is
/// gone. (A site opened from files needs none: everything is on the device already.)
///
/// - Its scope is the site's folder (the worker sits at its top), and it handles only GET requests
///   inside that scope; its cache is named after the scope, so several sites on one host keep apart.
/// - Pages, the feed and the other small files: the network first (revalidated, so an edited
///   session shows at once), the kept copy when the network fails.
/// - Tracks (`.mp3`, `.opus`): the kept copy first. A track's links carry its version
///   (`?v=...`), so a re-rendered track is a new URL, fetched once and kept, and the old one is
///   dropped. The first request for a track streams it to the page while it is kept; any other
///   request waits for the whole file to be kept. Range requests are answered from the kept file
///   (206, with `Content-Range`), as media elements and Safari expect, whether or not the web
///   server itself can serve ranges.
/// - A page sends `{type: "keep", urls: [...]}` when its audio starts, so a track that began
///   loading before the worker was in control is kept too; pages already open when the worker
///   starts are kept as it activates, and the icon and the web app manifest as it installs.
enum SiteServiceWorker {
    /// `Resources/service-worker.js`, with the site's file names put in.
    static let javaScript = EmbeddedText.filled(
        EmbeddedText.text(PackageResources.service_worker_js),
        ["icon": SiteLayout.icon, "appManifest": SiteLayout.appManifest])
}
