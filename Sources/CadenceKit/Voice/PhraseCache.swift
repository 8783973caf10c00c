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

    /// Phrases ready to mix (trimmed, resampled, levelled, limited, faded), by rate and gain too:
    /// preparing is about 0.1 s a phrase, most of a render whose phrases are all cached. Version 1;
    /// raise it when `SpeechSynthesizer.prepare` changes what it makes.
    static let readyKind = CacheFolder.Kind(name: "speech-ready", version: 1)

    /// The samples of `text` as `prepare` made them at `sampleRate` and `gain`, if they are kept.
    func ready(for text: String, by program: String, sampleRate: Int, gain: Double) -> [Float]? {
        guard let bytes = folder.read(Self.readyKind, key: readyKey(text, program, sampleRate, gain), limit: SpeechSynthesizer.outputLimit),
            bytes.count % 4 == 0
        else { return nil }
        return bytes.withUnsafeBytes { raw in
            (0..<bytes.count / 4).map {
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
    }

    func storeReady(_ samples: [Float], for text: String, by program: String, sampleRate: Int, gain: Double) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(samples.count * 4)
        for sample in samples {
            let bits = sample.bitPattern.littleEndian
            bytes.append(contentsOf: [UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24)])
        }
        folder.write(Self.readyKind, key: readyKey(text, program, sampleRate, gain), payload: bytes)
    }

    private func readyKey(_ text: String, _ program: String, _ sampleRate: Int, _ gain: Double) -> String {
        "\(program)\nrate=\(sampleRate)\ngain=\(gain.bitPattern)\ntext=\(text)"
    }

    private func key(_ text: String, _ program: String) -> String {
        "\(program)\ntext=\(text)"
    }
}
