/// The routine format reference, `docs/routine-format.md`, built into the binary (SwiftPM embeds
/// the file through a link in `Resources/`, so the page and the command print the same text).
enum FormatReference {
    static var text: String { String(decoding: PackageResources.routine_format_md, as: UTF8.self) }
}
