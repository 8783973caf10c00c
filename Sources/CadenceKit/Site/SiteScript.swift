/// The script every page of a library site runs besides its own (the index and each player page):
/// over http and https it links the web app manifest and registers the service worker (see
/// `SiteServiceWorker`), and on a player page asks the worker to keep the page and its track once
/// the track plays. On the index it shows the feed's full address and marks the sessions whose
/// track is kept for use offline. Opened
/// from files it does nothing: everything is on the device, and a manifest or a worker would
/// only be refused there.
enum SiteScript {
    /// The script for a page at `root` from the site's folder (`./` for the index, `../` for a
    /// player page in `tracks/`): `Resources/site.js` with the site's file names put in.
    static func javaScript(root: String) -> String {
        EmbeddedText.filled(
            EmbeddedText.text(PackageResources.site_js),
            ["root": root, "appManifest": SiteLayout.appManifest, "serviceWorker": SiteLayout.serviceWorker])
    }
}
