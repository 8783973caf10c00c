import Foundation

/// Where the site's links point: below an absolute base URL (`--base-url`), or relative to the
/// file that holds the link when there is none. Podcast apps need absolute links in a feed; the
/// pages only ever use relative ones, so they work from any server and from files alike.
public struct SiteAddress: Sendable, Equatable {
    /// The base URL, ending in `/`, or nil for relative links.
    public let base: String?

    /// Checks `baseURL` (nil for none): an `http` or `https` URL with a host and no query,
    /// fragment or user name. A path that does not end in `/` is taken as a folder.
    public init(baseURL: String?) throws(RenderError) {
        guard let baseURL else {
            base = nil
            return
        }
        let problem =
            "--base-url \(PathBytes.display(baseURL)) is not an address the site can be served from; "
            + "give an http or https URL of its folder, such as https://example.org/back/"
        guard
            !baseURL.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value >= 0x7F || "\"<>\\^`{|}".unicodeScalars.contains($0) }),
            let components = URLComponents(string: baseURL),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil, components.user == nil, components.password == nil
        else {
            throw .invalidOptions(problem)
        }
        base = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
    }

    /// The link to the site's file at `path` (relative to the site's folder, such as
    /// `tracks/morning.mp3`): absolute below the base URL when there is one, else `path` as it is.
    /// `path` is a URL path already (see `SiteLayout.urlPath`).
    func link(_ path: String) -> String {
        (base ?? "") + path
    }

    public var isAbsolute: Bool { base != nil }
}
