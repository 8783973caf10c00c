import Synchronization

/// Piper (`pip install piper-tts`): a neural voice from a model the user gives
/// (`--voice-model FILE.onnx`, its `FILE.onnx.json` beside it). Cadence never downloads a model.
/// It runs as `piper -m MODEL -c CONFIG -f - --noise-scale 0 --noise-w-scale 0 [--length-scale X]`
/// with the phrase on standard input: with both noise scales at 0 the model says a phrase the same
/// way every time (they add randomness to the voice and the timing otherwise).
struct PiperProgram: SpeechProgram {
    let path: String
    let model: String
    let config: String
    let wordsPerMinute: Int?
    /// The model's and its configuration's bytes, hashed, and piper's version.
    private let modelHash: String
    private let version: String

    /// Checks the model and its configuration are regular files (exit 66 when not).
    init(path: String, voice: SpeechVoice) throws {
        guard let model = voice.model else { throw RenderError.invalidOptions(RenderOptions.piperNeedsModel) }
        self.path = path
        self.model = model
        config = model + ".json"
        wordsPerMinute = voice.wordsPerMinute
        _ = try InputFile.regularStatus(model, kind: "voice model")
        _ = try InputFile.regularStatus(config, kind: "voice model's configuration (FILE.onnx.json)")
        modelHash = try Self.hash(model) + "-" + Self.hash(config)
        version = Self.version(of: path)
    }

    var engine: SpeechEngine { .piper }
    var voiceName: String { FilePaths.name(of: model) }

    var arguments: [String] {
        var arguments = ["-m", model, "-c", config, "-f", "-", "--noise-scale", "0", "--noise-w-scale", "0"]
        if let wordsPerMinute {
            // A longer phoneme length speaks slower; 1 is the model's own pace.
            arguments += ["--length-scale", String(FestivalProgram.normalWordsPerMinute / Double(wordsPerMinute))]
        }
        return arguments
    }

    var identity: String {
        "piper version=\(version) model=\(modelHash) speed=\(wordsPerMinute.map(String.init) ?? "default")"
    }

    func isUnknownVoice(errorTail: String) -> Bool { false }

    // MARK: Model and version

    private static let hashes = Mutex<[String: String]>([:])

    /// The hash of a model file's bytes (tens of MB), worked out once per version of the file.
    private static func hash(_ path: String) throws -> String {
        let stamp = FileStamp.of(path).map { "\($0.device):\($0.inode):\($0.size):\($0.modified)" } ?? ""
        let key = path + "\n" + stamp
        if let known = hashes.withLock({ $0[key] }) { return known }
        let hash = try ContentHash.ofFile(path, kind: "voice model", shouldStop: { false })
        hashes.withLock { $0[key] = hash }
        return hash
    }

    /// piper has no `--version`: its version is read from the package beside the Python that runs
    /// it (`#!PREFIX/bin/python3` → `PREFIX/lib/python3.*/site-packages/piper_tts-VERSION.dist-info`).
    static func version(of program: String) -> String {
        guard let (bytes, _) = try? InputFile.readBytes(program, kind: "program", limit: 4_096),
            let firstLine = String(decoding: bytes.prefix(4_096), as: UTF8.self).split(separator: "\n").first,
            firstLine.hasPrefix("#!/")
        else { return "unknown" }
        let interpreter = String(firstLine.dropFirst(2)).split(separator: " ").first.map(String.init) ?? ""
        let lib = FilePaths.join(FilePaths.folder(of: FilePaths.folder(of: interpreter)), "lib")
        for python in ((try? FileSystem.list(lib)) ?? []).sorted() where python.hasPrefix("python3") {
            let packages = FilePaths.join(FilePaths.join(lib, python), "site-packages")
            for name in (try? FileSystem.list(packages)) ?? [] where name.hasPrefix("piper_tts-") && name.hasSuffix(".dist-info") {
                return String(name.dropFirst("piper_tts-".count).dropLast(".dist-info".count))
            }
        }
        return "unknown"
    }
}
