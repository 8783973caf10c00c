/// Where each file of a library site goes, relative to the site's folder:
///
///     index.html            the list of sessions
///     feed.xml              the podcast feed
///     sw.js                 the service worker (offline use over http and https)
///     app.webmanifest       the web app manifest
///     icon.svg              the app's icon
///     .cadence-site.json    what the site was made from (see `SiteManifest`)
///     tracks/NAME.html      one player page per routine NAME.yaml
///     tracks/NAME.mp3       its track, and NAME.opus with --opus
///     tracks/NAME.chapters.json   its chapters, for podcast apps
///
/// A page and its track sit side by side, so the page links its audio by name alone. Every file
/// of a routine is in `tracks/`, so no routine name can collide with the files of the site itself
/// (a routine `index.yaml` has its page at `tracks/index.html`).
enum SiteLayout {
    static let tracksFolder = "tracks"
    static let index = "index.html"
    static let feed = "feed.xml"
    static let serviceWorker = "sw.js"
    static let appManifest = "app.webmanifest"
    static let icon = "icon.svg"

    /// The files of the site itself (not of one routine), in the order they are written.
    static let siteFiles = [icon, appManifest, serviceWorker, index, feed]

    static func page(_ base: String) -> String { tracksFolder + "/" + base + ".html" }
    static func chapters(_ base: String) -> String { tracksFolder + "/" + base + ".chapters.json" }
    static func track(_ base: String, _ format: AudioFormat) -> String { tracksFolder + "/" + base + "." + format.fileExtension }

    /// The files a routine with this base name may have in the site.
    static func files(of base: String) -> [String] {
        [page(base), chapters(base), track(base, .mp3), track(base, .opus)]
    }

    /// Whether `path` (from a site manifest) is one the site could have written: a site file, or one
    /// name inside `tracks/`, not hidden and without `..`. Only such files are ever removed.
    static func isSiteFile(_ path: String) -> Bool {
        if siteFiles.contains(path) { return true }
        let prefix = tracksFolder + "/"
        guard path.hasPrefix(prefix) else { return false }
        let name = path.dropFirst(prefix.count)
        return !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && name != ".."
            && [".html", ".chapters.json", ".mp3", ".opus"].contains { name.hasSuffix($0) }
    }

    /// `path` as a URL path: every byte of each component outside the URL's unreserved characters
    /// percent-encoded, so any file name (spaces, `#`, `?`, bytes that are not UTF-8) links to itself.
    static func urlPath(_ path: String) -> String {
        var out = ""
        for byte in PathBytes.bytes(path) {
            if isUnreserved(byte) {
                out.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Letters, digits, `-`, `.`, `_`, `~`, and `/` between components.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }
}
