/// The site's web app manifest, `app.webmanifest`: a phone can add the site to its home screen and
/// open it like an app, in its own window. Its links are relative to the manifest, so the site
/// works at any address. The pages link it from their script, and only over http and https (a
/// page opened from a file would log a refused fetch).
enum WebAppManifest {
    static func json(title: String) -> String {
        let name = TimelineJSON.string(title)
        return """
            {
              "name": \(name),
              "short_name": \(name),
              "description": "Audio cue tracks for exercise routines, made with Cadence.",
              "start_url": "./index.html",
              "scope": "./",
              "display": "standalone",
              "background_color": "\(SiteStyleSheet.background)",
              "theme_color": "\(SiteStyleSheet.background)",
              "icons": [{"src": "\(SiteLayout.icon)", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}]
            }

            """
    }
}
