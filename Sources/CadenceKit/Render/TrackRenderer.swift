import Foundation

/// Renders a timeline into a track: timeline -> cue mixer (+ music, ducked) -> peak limiter ->
/// track writer, one block at a time, so memory stays flat however long the session is.
///
/// With music there are two passes: the first measures the mix's loudness (EBU R 128) to find the
/// master gain that brings it to the target, the second writes the track. The second also measures
/// what it wrote; if the true peak passed -1 dBTP (the limiter watches sample peaks) or limiting
/// took the loudness off target, it runs again with a lower ceiling or a corrected gain.
public enum TrackRenderer {
    /// The mix never goes above this (-1.1 dBFS), whatever the sounds and `--gain`.
    static let ceiling: Float = 0.88
    /// With music, the sample-peak ceiling starts here (-1.5 dBFS), leaving room for peaks between samples.
    static let musicCeiling: Float = 0.84
    /// The highest true peak a track with music may have: -1 dBTP, less a margin (-1.1 dBTP) for the
    /// difference between this estimate and other meters'.
    static let truePeakLimit = 0.881
    /// With music, how many times the track may be written to meet the loudness and true peak.
    static let maximumWritingPasses = 4

    /// Writes the track for `timeline` to `path` (atomically: see `TrackWriter`).
    /// - Parameters:
    ///   - progress: called after each block with the fraction done (of all passes).
    ///   - shouldStop: checked before each block; when it returns true the render stops and
    ///     throws `RenderError.interrupted`, leaving nothing at `path`.
    ///   - beforeCommit: runs when the track is complete but not yet at `path`; if it throws, the
    ///     track is dropped and the destination left as it was.
    public static func render(_ timeline: Timeline, to path: String, options: RenderOptions,
                              progress: ((Double) -> Void)? = nil, shouldStop: () -> Bool = { false },
                              beforeCommit: () throws -> Void = {}) throws {
        try options.validate()
        precondition(timeline.sampleRate == options.sampleRate, "the timeline was scheduled at another rate")
        try TrackWriter.checkDestination(path)
        let bank = try SoundBank(sampleRate: options.sampleRate, gainDecibels: options.gainDecibels,
                                 packFolder: options.soundsFolder)
        var speech: [String: [Float]] = [:]
        if let voice = options.voice {
            let synthesizer = try SpeechSynthesizer(sampleRate: options.sampleRate, voice: voice,
                                                    gainDecibels: options.gainDecibels)
            for line in Set(timeline.cues.compactMap(VoiceLines.line(for:))).sorted() {
                if shouldStop() { throw RenderError.interrupted(path: path) }
                speech[line] = try synthesizer.phrase(line)
            }
        }
        let source = CueMixer.soundSource(bank: bank, speech: speech)
        let music = try options.music.isEmpty ? nil : MusicBed(files: options.music, timeline: timeline, options: options,
                                                                sounds: CueMixer.soundSpans(of: timeline, source: source))
        let passes = music == nil ? 1.0 : 2.0
        var masterGain: Float = 1
        if let music {
            // Pass 1: measure the mix (without the limiter) to find the master gain.
            let meter = LoudnessMeter(channels: options.channels, sampleRate: options.sampleRate)
            let mix = try makeMix(timeline, options, source, music, masterGain: 1, ceiling: nil)
            var measured: Int64 = 0
            while let block = try mix.nextBlock() {
                if shouldStop() { throw RenderError.interrupted(path: path) }
                meter.add(block.samples.baseAddress!, frameCount: block.frames)
                measured += Int64(block.frames)
                progress?(Double(measured) / Double(max(1, timeline.totalSamples)) / passes)
            }
            let loudness = meter.integratedLoudness
            if loudness.isFinite { masterGain = Float(pow(10, (options.loudnessTarget - loudness) / 20)) }
        }
        var ceiling = music == nil ? Self.ceiling : Self.musicCeiling
        for attempt in 0..<Self.maximumWritingPasses {
            let meter = music == nil ? nil : LoudnessMeter(channels: options.channels, sampleRate: options.sampleRate)
            var peaks = TruePeakEstimator(channels: options.channels)
            let mix = try makeMix(timeline, options, source, music, masterGain: masterGain, ceiling: ceiling)
            let writer = try TrackWriter(destination: path, format: options.format, bitDepth: options.bitDepth,
                                         sampleRate: options.sampleRate, channels: options.channels,
                                         metadata: metadata(of: timeline), totalFrames: timeline.totalSamples)
            var done: Int64 = 0
            while let block = try mix.nextBlock() {
                if shouldStop() {
                    writer.abandon()
                    throw RenderError.interrupted(path: path)
                }
                try writer.write(block.samples, frameCount: block.frames, sourceChannels: block.channels, silent: block.silent)
                if let meter {
                    meter.add(block.samples.baseAddress!, frameCount: block.frames)
                    peaks.add(block.samples.baseAddress!, frameCount: block.frames)
                }
                done += Int64(block.frames)
                progress?((passes - 1 + Double(done) / Double(max(1, timeline.totalSamples))) / passes)
            }
            if let meter, attempt < Self.maximumWritingPasses - 1 {
                // With music, check what was written: the true peak must stay at or below -1 dBTP and
                // the loudness within half a LU of the target (the limiter can take loudness away
                // from music whose level lives in short loud bursts). If not, adjust and write again.
                peaks.finish()
                let loudness = meter.integratedLoudness
                let peakTooHigh = Double(peaks.peak) > truePeakLimit
                let loudnessOff = loudness.isFinite && abs(options.loudnessTarget - loudness) > 0.5
                if peakTooHigh || loudnessOff {
                    writer.abandon()
                    if peakTooHigh { ceiling *= Float(truePeakLimit / Double(peaks.peak)) * 0.98 }
                    if loudnessOff { masterGain *= Float(pow(10, (options.loudnessTarget - loudness) / 20)) }
                    continue
                }
            }
            try writer.finish(beforeRename: beforeCommit)
            return
        }
    }

    /// The track's tags: the routine's title, and a chapter per step.
    static func metadata(of timeline: Timeline) -> TrackMetadata {
        TrackMetadata(title: timeline.title,
                      chapters: timeline.steps.map { TrackMetadata.Chapter(start: $0.start, end: $0.end, title: $0.name) },
                      sampleRate: timeline.sampleRate, totalFrames: timeline.totalSamples)
    }

    private static func makeMix(_ timeline: Timeline, _ options: RenderOptions, _ source: @escaping (Cue) -> [CueMixer.Source],
                                _ music: MusicBed?, masterGain: Float, ceiling: Float?) throws -> TrackMix {
        let cues = CueMixer(timeline: timeline, sampleRate: options.sampleRate, source: source)
        return TrackMix(totalFrames: timeline.totalSamples, sampleRate: options.sampleRate, outputChannels: options.channels,
                        cues: cues, music: music?.playlist(), ducking: music?.ducking,
                        masterGain: masterGain, limiterCeiling: ceiling)
    }
}

/// The music of a render, prepared once: each file's loudness measured and its gain set, the
/// ducking worked out from where the cue sounds play. A fresh playlist is made for each pass.
struct MusicBed {
    /// Each music file is first brought to this loudness (LUFS); the master gain then sets the mix.
    static let fileLoudness = -16.0

    let tracks: [MusicPlaylist.Track]
    let ducking: DuckingEnvelope
    private let sampleRate: Int
    private let channels: Int
    private let totalFrames: Int64
    private let fadeOutStart: Int64
    private let cache: MusicCache

    init(files: [String], timeline: Timeline, options: RenderOptions, sounds: [(start: Int64, end: Int64)]) throws {
        var tracks: [MusicPlaylist.Track] = []
        var measured: [String: (gain: Float, frames: Int64)] = [:]
        for path in files {
            if measured[path] == nil {
                let measurement = try MusicDecoder.measure(path, sampleRate: options.sampleRate)
                measured[path] = (Float(pow(10, (Self.fileLoudness - measurement.loudness) / 20)), measurement.frames)
            }
            let (gain, frames) = measured[path]!
            tracks.append(MusicPlaylist.Track(path: path, gain: gain, frames: frames))
        }
        self.tracks = tracks
        ducking = DuckingEnvelope(sounds: sounds, decibels: options.duckDecibels, sampleRate: options.sampleRate)
        sampleRate = options.sampleRate
        channels = options.channels
        totalFrames = timeline.totalSamples
        cache = MusicCache(sampleRate: options.sampleRate, channels: options.channels)
        // The music fades out over the tail, or over the last 3 seconds when the tail is shorter.
        let tailStart = timeline.intervals.last(where: { $0.kind == .tail })?.start ?? totalFrames
        fadeOutStart = min(tailStart, max(0, totalFrames - Int64(3 * options.sampleRate)))
    }

    func playlist() -> MusicPlaylist {
        MusicPlaylist(tracks: tracks, sampleRate: sampleRate, channels: channels, totalFrames: totalFrames,
                      fadeOutStart: fadeOutStart, cache: cache)
    }
}
