/// The start of every HTML page Cadence writes (the player, the library site's index), up to the
/// page's own content: the document type, the `<head>` (character set, viewport, Content Security
/// Policy, colour scheme, generator, title, links and style sheet) and `<body><div class="page">`.
enum PageHead {
    /// - Parameters:
    ///   - title: the page's title, escaped already.
    ///   - policy: its Content Security Policy.
    ///   - themeColor: the colour a browser gives its own bar beside the page, when it has one.
    ///   - links: its `<link>` elements, one a line.
    ///   - css: its style sheet.
    static func html(title: String, policy: String, themeColor: String? = nil, links: String, css: String) -> String {
        let theme = themeColor.map { "<meta name=\"theme-color\" content=\"\($0)\">\n" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
            <meta http-equiv="Content-Security-Policy" content="\(policy)">
            <meta name="color-scheme" content="light">
            \(theme)<meta name="generator" content="Cadence \(CadenceVersion.string)">
            <title>\(title)</title>
            \(links)
            <style>
            \(css)</style>
            </head>
            <body>
            <div class="page">

            """
    }
}
