/// Speech already synthesized, kept in the user's cache folder (`speech/`), so that a batch, a
/// re-render or another routine with the same words never runs the engine for a phrase it spoke
/// before. An entry is keyed by the engine's identity (engine, version, voice files, voice, speed)
/// and the text, and holds the engine's WAV as it wrote it: the trimming, resampling and loudness
/// that follow take milliseconds, so one entry serves every sample rate and gain.
struct PhraseCache: Sendable {
    /// Version 2: the engine's WAV, sizes filled in and a trailing header dropped (`StreamedWAV`).
    /// (Version 1 kept festival's trailing header, heard as a click at the end of each phrase.)
    static let kind = CacheFolder.Kind(name: "speech", version: 2)

    let folder: CacheFolder

    /// The cache in the user's cache folder, or nil when there is none.
    static func user() -> PhraseCache? {
        CacheFolder.user().map(PhraseCache.init)
    }

    /// The WAV that `program` wrote for `text`, if it is kept.
    func wav(for text: String, by program: String) -> [UInt8]? {
        folder.read(Self.kind, key: key(text, program), limit: SpeechSynthesizer.outputLimit)
    }

    func store(_ wav: [UInt8], for text: String, by program: String) {
        folder.write(Self.kind, key: key(text, program), payload: wav)
    }

    private func key(_ text: String, _ program: String) -> String {
        "\(program)\ntext=\(text)"
    }
}
