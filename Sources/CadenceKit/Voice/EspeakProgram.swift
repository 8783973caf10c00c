/// espeak-ng: `espeak-ng --stdout --stdin [-v VOICE] [-s WPM]`. Its voices are named like `en-gb`
/// or `en-us+f3` (`espeak-ng --voices` lists them); an unknown one is found when it first speaks.
struct EspeakProgram: SpeechProgram {
    let path: String
    let voice: SpeechVoice

    var engine: SpeechEngine { .espeak }
    var voiceName: String { voice.name ?? "default" }

    var arguments: [String] {
        var arguments = ["--stdout", "--stdin"]
        if let name = voice.name { arguments += ["-v", name] }
        if let speed = voice.wordsPerMinute { arguments += ["-s", String(speed)] }
        return arguments
    }

    var identity: String {
        "espeak-ng version=\(SpeechPrograms.version(of: path)) voice=\(voice.name ?? "default") speed=\(voice.wordsPerMinute.map(String.init) ?? "default")"
    }

    func isUnknownVoice(errorTail: String) -> Bool {
        voice.name != nil && errorTail.lowercased().contains("voice")
    }
}
