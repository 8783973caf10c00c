/// What rendering needs besides the timeline, prepared once and shared by every track of a batch:
/// the cue sounds (built in or from the pack, at the track's rate and gain), the music files
/// measured, and the speech engine (with the phrase cache). Making it opens and checks every input file, so a bad one
/// (missing, a pipe, a device, not audio) is reported before anything is rendered.
public final class RenderResources: Sendable {
    let options: RenderOptions
    let bank: SoundBank
    let pack: SoundPackFolder?
    let music: [MusicPlaylist.Track]
    /// Music decoded once, shared by every track and job that uses these resources.
    let musicCache: MusicCache
    let speech: SpeechSynthesizer?

    /// Warnings about the inputs (files of the sound pack that are not used), one line each.
    public var warnings: [String] { pack?.warnings ?? [] }

    /// The resources of `other` for options that differ only in what does not change them
    /// (format, bit depth, and the channels of a track without music: the music's analyses are
    /// made at the track's channel count).
    init(sharing other: RenderResources, options: RenderOptions) {
        precondition(other.music.isEmpty || other.options.channels == options.channels, "music is analysed per channel count")
        self.options = options
        bank = other.bank
        pack = other.pack
        music = other.music
        musicCache = other.musicCache
        speech = other.speech
    }

    public convenience init(options: RenderOptions, shouldStop: () -> Bool = { false }) throws {
        try self.init(options: options, musicStore: .user, shouldStop: shouldStop)
    }

    /// - Parameters:
    ///   - musicStore: where music analyses are kept between renders.
    ///   - musicCache: decoded music to share (made here, with the default budgets, when nil).
    init(
        options: RenderOptions, musicStore: MusicAnalysisStore, musicCache: MusicCache? = nil,
        shouldStop: () -> Bool = { false }
    ) throws {
        try options.validate()
        self.options = options
        pack = try options.soundsFolder.map { folder throws(InputError) in try SoundPackFolder(folder: folder) }
        bank = try SoundBank(sampleRate: options.sampleRate, gainDecibels: options.gainDecibels, pack: pack)
        let musicCache = musicCache ?? MusicCache(sampleRate: options.sampleRate, channels: options.channels)
        precondition(musicCache.sampleRate == options.sampleRate && musicCache.channels == options.channels)
        self.musicCache = musicCache
        music = try MusicBed.measure(options.music, cache: musicCache, store: musicStore, shouldStop: shouldStop)
        speech = try options.voice.map { voice in
            try SpeechSynthesizer(sampleRate: options.sampleRate, voice: voice, gainDecibels: options.gainDecibels)
        }
    }
}
