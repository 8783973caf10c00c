/// Path arithmetic on `/`-separated path strings, done on the text itself (no Foundation: its
/// `NSString` path methods crash on one-character paths and lose bytes that are not UTF-8).
/// Paths keep the bytes `PathBytes` gives them; `/` and `.` are ASCII, so splitting is exact when
/// it is done on Unicode scalars, never on `Character`s: a name may begin with a combining mark
/// (`\u{301}a.wav`), which joins the `/` before it into one `Character`.
public enum FilePaths {
    /// The folder part of `path`: `"."` for a bare name, `"/"` for a file at the root.
    /// `a/b/` is the folder `a` holding `b`.
    public static func folder(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.unicodeScalars.lastIndex(of: "/") else { return "." }
        let folder = trimmingTrailingSlashes(String(trimmed.unicodeScalars[..<slash]))
        return folder.isEmpty ? "/" : folder
    }

    /// The last component of `path` (`b` for `a/b` and `a/b/`).
    public static func name(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.unicodeScalars.lastIndex(of: "/") else { return trimmed }
        return String(trimmed.unicodeScalars[trimmed.unicodeScalars.index(after: slash)...])
    }

    /// `name` without its extension: `morning` for `morning.yaml`; a leading dot is not an extension.
    public static func baseName(of path: String) -> String {
        let name = name(of: path).unicodeScalars
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return String(name) }
        return String(name[..<dot])
    }

    /// The extension of the last component, without its dot (`""` when there is none).
    public static func pathExtension(of path: String) -> String {
        let name = name(of: path).unicodeScalars
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// Whether the file name `name` is hidden (begins with a dot, whatever follows it).
    public static func isHidden(_ name: String) -> Bool {
        name.unicodeScalars.first == "."
    }

    /// `name` inside `folder` (`"."` is left out, so `./x` is written `x`).
    public static func join(_ folder: String, _ name: String) -> String {
        if folder.isEmpty || folder == "." { return name }
        return folder.unicodeScalars.last == "/" ? folder + name : folder + "/" + name
    }

    private static func trimmingTrailingSlashes(_ path: String) -> String {
        var text = Substring.UnicodeScalarView(path.unicodeScalars)
        while text.count > 1, text.last == "/" { text.removeLast() }
        return String(text)
    }
}
