import Foundation

/// The routine that puts markup, quotes, ampersands, `</script>`, `]]>` and a comment in every
/// text a routine has (`Fixtures/hostile-markup.yaml`), and what it says once parsed. A page or
/// picture made from it must show all of it as text: a script it gets to run sets `window.__pwned`.
public enum HostileMarkup {
    /// The routine file's text.
    public static let routine: String = {
        guard let url = Bundle.module.url(forResource: "hostile-markup", withExtension: "yaml", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url)
        else {
            fatalError("Fixtures/hostile-markup.yaml is missing from the CadenceTestSupport bundle")
        }
        return String(decoding: data, as: UTF8.self)
    }()

    public static let title = #"<script>window.__pwned=1</script> & "Quotes" 'single' ]]> </script>"#
    public static let about = "<b>Bold?</b> & </script><script>window.__pwned=2</script>\nLine two ]]> <!-- comment --> &amp;\n"
    public static let stepNames = [
        #"<img src=x onerror="window.__pwned=3">"#,
        #"Tom & Jerry's "stretch" ]]> <svg onload=window.__pwned=4>"#,
    ]
    /// What the first step says.
    public static let say = "</script><script>window.__pwned=5</script>"

    /// The strings that must never appear as they are in a page or picture made from `routine`.
    public static let dangerous = ["<script>window", "<img", "<svg onload", "<b>", "</script><script>", "]]>", "<!--"]
}
