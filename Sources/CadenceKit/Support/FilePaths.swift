/// Path arithmetic on `/`-separated path strings, done on the text itself (no Foundation: its
/// `NSString` path methods crash on one-character paths and lose bytes that are not UTF-8).
/// Paths keep the bytes `PathBytes` gives them; `/` and `.` are ASCII, so splitting is exact.
public enum FilePaths {
    /// The folder part of `path`: `"."` for a bare name, `"/"` for a file at the root.
    /// `a/b/` is the folder `a` holding `b`.
    public static func folder(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        let folder = trimmingTrailingSlashes(String(trimmed[..<slash]))
        return folder.isEmpty ? "/" : folder
    }

    /// The last component of `path` (`b` for `a/b` and `a/b/`).
    public static func name(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `name` without its extension: `morning` for `morning.yaml`; a leading dot is not an extension.
    public static func baseName(of path: String) -> String {
        let name = name(of: path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// The extension of the last component, without its dot (`""` when there is none).
    public static func pathExtension(of path: String) -> String {
        let name = name(of: path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// `name` inside `folder` (`"."` is left out, so `./x` is written `x`).
    public static func join(_ folder: String, _ name: String) -> String {
        if folder.isEmpty || folder == "." { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    private static func trimmingTrailingSlashes(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1, text.hasSuffix("/") { text.removeLast() }
        return String(text)
    }
}
