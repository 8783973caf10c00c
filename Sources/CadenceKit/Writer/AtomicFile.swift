/// Writes a small file (timeline, labels, page, manifest) whole or not at all: through an
/// `OutputFile`, so a reader never sees half of it and a failure leaves the old file as it was.
enum AtomicFile {
    static func write(_ text: String, to path: String) throws(RenderError) {
        try OutputFile.write(Array(text.utf8), to: path)
    }
}
