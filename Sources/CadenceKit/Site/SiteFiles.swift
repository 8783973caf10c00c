/// Writing the site's own files (pages, chapters, index, feed...): each is written only when its
/// bytes differ from what is there, atomically (see `OutputFile`), so a run that changes nothing
/// touches nothing, and a web server or a phone never sees half a file.
enum SiteFiles {
    /// Writes `bytes` to `path` unless the file there holds exactly them; returns whether it wrote.
    @discardableResult
    static func write(_ bytes: [UInt8], to path: String) throws(RenderError) -> Bool {
        if let (current, size) = try? InputFile.readBytes(path, kind: "site file", limit: bytes.count),
            size == Int64(bytes.count), current == bytes
        {
            return false
        }
        try OutputFile.write(bytes, to: path)
        return true
    }

    static func write(_ text: String, to path: String) throws(RenderError) -> Bool {
        try write(Array(text.utf8), to: path)
    }

    /// Removes the regular file (or link) at `path`, if any; returns whether one was removed.
    static func remove(_ path: String) -> Bool {
        guard let status = try? FileSystem.linkStatus(of: path), status.isRegularFile || status.isSymbolicLink else { return false }
        return (try? FileSystem.unlink(path)) != nil
    }
}
