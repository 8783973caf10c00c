/// Festival, through its `text2wave` script: `text2wave -eval '(voice_NAME)' [speed]` reads the
/// phrase on standard input and writes a WAV to standard output. Festival finds its voices as
/// folders `VOICES/LANGUAGE/NAME` holding `festvox/NAME.scm`; Cadence looks there too, so an
/// unknown voice is refused before anything runs (festival itself would only print an error and
/// exit 0). Its output is the same bytes every time for the same text, voice and speed.
struct FestivalProgram: SpeechProgram {
    /// The voice of `festvox-us-slt-hts`: an HTS (statistical parametric) US English voice.
    static let defaultVoice = "cmu_us_slt_arctic_hts"
    /// Where festival's voices are installed (its Debian package's place, and a local build's).
    static let voiceRoots = ["/usr/share/festival/voices", "/usr/local/share/festival/voices"]
    /// The speed in words per minute that the voice speaks at by itself (as espeak-ng's default),
    /// so `--voice-speed 175` is each engine's own pace.
    static let normalWordsPerMinute = 175.0

    let path: String
    let voiceName: String
    let wordsPerMinute: Int?
    /// The sizes and times of the voice's files, hashed: a new voice package changes the identity.
    private let voiceStamp: String

    init(path: String, voice: SpeechVoice) throws(VoiceError) {
        self.path = path
        voiceName = voice.name ?? Self.defaultVoice
        wordsPerMinute = voice.wordsPerMinute
        guard let folder = Self.installedVoice(named: voiceName) else {
            let installed = Self.installedVoices()
            var reason =
                installed.isEmpty
                ? "no festival voice is installed (`sudo apt-get install festvox-us-slt-hts`)"
                : "its installed voices are " + installed.joined(separator: ", ")
            if voice.name != nil, voice.engine == nil { reason += "; for an espeak-ng voice add --voice-engine espeak" }
            throw .unknownVoice(engine: "festival", name: voiceName, reason: reason)
        }
        voiceStamp = Self.stamp(of: folder)
    }

    var engine: SpeechEngine { .festival }

    var arguments: [String] {
        // The voice first: selecting it resets the synthesis parameters the speed then changes.
        var arguments = ["-eval", "(voice_\(voiceName))"]
        if let wordsPerMinute {
            let rate = Double(wordsPerMinute) / Self.normalWordsPerMinute
            // HTS voices take a speech rate; the older diphone and cluster voices stretch durations.
            arguments += [
                "-eval", "(set! hts_engine_params (append hts_engine_params (list (list \"-r\" \(rate)))))",
                "-eval", "(Parameter.set 'Duration_Stretch \(1 / rate))",
            ]
        }
        return arguments
    }

    var identity: String {
        // text2wave is a script run by the festival program, which tells the version.
        // It prints "PATH: Festival Speech Synthesis System: 2.5.0:release December 2017"; the path is left out.
        var version = Subprocess.find("festival").map { SpeechPrograms.version(of: $0) } ?? "unknown"
        if let range = version.range(of: "System: ") { version = String(version[range.upperBound...]) }
        return "festival version=\(version) voice=\(voiceName) files=\(voiceStamp) speed=\(wordsPerMinute.map(String.init) ?? "default")"
    }

    func isUnknownVoice(errorTail: String) -> Bool {
        errorTail.contains("unbound variable : voice_")
    }

    // MARK: Voices

    /// The folder of the installed voice `name`, or nil.
    static func installedVoice(named name: String) -> String? {
        guard SpeechVoice.isAcceptableName(name) else { return nil }
        for root in voiceRoots {
            for language in (try? FileSystem.list(root)) ?? [] {
                let folder = FilePaths.join(FilePaths.join(root, language), name)
                let definition = FilePaths.join(FilePaths.join(folder, "festvox"), name + ".scm")
                if let status = try? FileSystem.status(of: definition), status.isRegularFile { return folder }
            }
        }
        return nil
    }

    /// The names of every installed voice, sorted.
    static func installedVoices() -> [String] {
        var names: Set<String> = []
        for root in voiceRoots {
            for language in (try? FileSystem.list(root)) ?? [] {
                for name in (try? FileSystem.list(FilePaths.join(root, language))) ?? [] where installedVoice(named: name) != nil {
                    names.insert(name)
                }
            }
        }
        return names.sorted()
    }

    /// A hash of the names, sizes and modification times of the files in a voice's folder (two
    /// levels deep, as festival's voices are laid out).
    private static func stamp(of folder: String) -> String {
        var hash = ContentHash()
        func add(_ folder: String, depth: Int) {
            for name in ((try? FileSystem.list(folder)) ?? []).sorted() {
                let path = FilePaths.join(folder, name)
                guard let status = (try? FileSystem.status(of: path)).flatMap({ $0 }) else { continue }
                if status.isFolder, depth < 2 {
                    add(path, depth: depth + 1)
                } else if status.isRegularFile {
                    hash.add("\(path) \(status.st_size) \(status.modifiedNanoseconds)")
                }
            }
        }
        add(folder, depth: 0)
        return hash.hex
    }
}
