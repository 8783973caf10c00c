import Foundation

/// Renders a timeline into a track: timeline -> cue mixer (+ music, ducked) -> peak limiter ->
/// track writer, one block at a time, so memory stays flat however long the session is. It reads as
/// its three stages: prepare the sounds (cue sounds, speech, music bed), predict (with music: the
/// mix's loudness, from the music files' analyses and the cue sounds, for the master gain, without
/// a pass over the mix), and write (and, with music, measure what was written and, only when it
/// misses the loudness target or the true-peak limit, correct and write again).
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

    /// Writes the track for `timeline` to `path` (atomically: see `OutputFile`) and returns the
    /// stamp of the file written.
    /// - Parameters:
    ///   - resources: the sounds, music and speech, when prepared already (a batch shares them).
    ///   - guide: the voice's lines placed on `timeline` by `SpokenGuide.make` with these
    ///     resources, so they are not placed again (without it, or for another timeline, they are).
    ///   - progress: called after each block with the fraction done (of all passes).
    ///   - shouldStop: checked before each block; when it returns true the render stops and
    ///     throws `RenderError.interrupted`, leaving nothing at `path`.
    ///   - writtenPasses: told how many times the track was written (more than once only with music,
    ///     when what was written missed the loudness target or the true-peak limit).
    ///   - beforeCommit: runs when the track is complete but not yet at `path`; if it throws, the
    ///     track is dropped and the destination left as it was.
    @discardableResult
    public static func render(
        _ timeline: Timeline, to path: String, options: RenderOptions,
        resources: RenderResources? = nil, guide: SpokenGuide? = nil,
        progress: ((Double) -> Void)? = nil, shouldStop: () -> Bool = { false },
        writtenPasses: ((Int) -> Void)? = nil,
        beforeCommit: () throws -> Void = {}
    ) throws -> FileStamp {
        try options.validate()
        let makeWriter = { () throws(RenderError) -> TrackWriter in
            try TrackWriter(
                destination: path, format: options.format, bitDepth: options.bitDepth, sampleRate: options.sampleRate,
                channels: options.channels, metadata: metadata(of: timeline), quality: options.quality)
        }
        return try produce(
            timeline, path: path, options: options, resources: resources, guide: guide, makeWriter: makeWriter,
            progress: progress, shouldStop: shouldStop, writtenPasses: writtenPasses
        ) { writer in
            try writer.finish(beforeRename: beforeCommit)
        }
    }

    /// The bytes of the track for `timeline`, made in a scratch file in `scratchFolder` that is
    /// gone afterwards (for the player page's embedded audio).
    public static func renderBytes(
        _ timeline: Timeline, options: RenderOptions, resources: RenderResources? = nil,
        scratchFolder: String, shouldStop: () -> Bool = { false }
    ) throws -> [UInt8] {
        try options.validate()
        let makeWriter = { () throws(RenderError) -> TrackWriter in
            try TrackWriter(
                output: try OutputFile.scratch(in: scratchFolder), format: options.format, bitDepth: options.bitDepth,
                sampleRate: options.sampleRate, channels: options.channels, metadata: metadata(of: timeline),
                quality: options.quality)
        }
        return try produce(
            timeline, path: "", options: options, resources: resources, guide: nil, makeWriter: makeWriter,
            progress: nil, shouldStop: shouldStop, writtenPasses: nil
        ) { writer in
            try writer.complete()
            defer { writer.abandon() }
            return try writer.contents()
        }
    }

    /// The three stages, with the writer made first (so a destination that cannot be written is
    /// reported before any work) and `finish` applied to the writer of the pass that is kept.
    private static func produce<Result>(
        _ timeline: Timeline, path: String, options: RenderOptions, resources: RenderResources?, guide: SpokenGuide?,
        makeWriter: () throws(RenderError) -> TrackWriter, progress: ((Double) -> Void)?,
        shouldStop: () -> Bool, writtenPasses: ((Int) -> Void)?,
        finish: (TrackWriter) throws -> Result
    ) throws -> Result {
        precondition(timeline.sampleRate == options.sampleRate, "the timeline was scheduled at another rate")
        let firstWriter = try makeWriter()
        let resources = try resources ?? RenderResources(options: options, shouldStop: shouldStop)
        func stop() throws {
            if shouldStop() { throw RenderError.interrupted(path: path, signal: StopSignal.signal) }
        }
        let sounds: PreparedSounds
        do {
            sounds = try prepareSounds(timeline, resources, guide: guide, stop: stop)
        } catch RenderError.interrupted(_, let signal) {
            // A stop inside the speech program names no file: this render's is the one not written.
            throw RenderError.interrupted(path: path, signal: signal)
        }
        let masterGain = sounds.music.map { predictMasterGain(timeline, options, sounds, $0) } ?? 1
        let (writer, passes) = try write(
            timeline, options, sounds, masterGain: masterGain, firstWriter: firstWriter,
            makeWriter: makeWriter, stop: stop, progress: progress)
        writtenPasses?(passes)
        return try finish(writer)
    }

    // MARK: Prepare

    /// Everything the mixer plays: the source of each cue's sounds, the voice's lines, and the music bed.
    struct PreparedSounds {
        var source: (Cue) -> [CueMixer.Source]
        var phrases: [CueMixer.Phrase]
        var music: MusicBed?
    }

    static func prepareSounds(
        _ timeline: Timeline, _ resources: RenderResources, guide: SpokenGuide? = nil, stop: () throws -> Void
    ) throws -> PreparedSounds {
        let layout: SpeechLayout?
        if let guide, guide.timeline == timeline {
            layout = guide.layout
        } else {
            layout = try SpokenGuide.layout(of: timeline, resources: resources, stop: stop)
        }
        let source = CueMixer.soundSource(bank: resources.bank, mix: resources.options.mix, layout: layout)
        let phrases = CueMixer.phrases(of: layout)
        let music =
            resources.music.isEmpty
            ? nil
            : MusicBed(
                tracks: resources.music, cache: resources.musicCache, timeline: timeline, options: resources.options,
                sounds: CueMixer.soundSpans(of: timeline, source: source, phrases: phrases))
        return PreparedSounds(source: source, phrases: phrases, music: music)
    }

    // MARK: Predict

    /// With music: the master gain that brings the mix (before the limiter) to the target, from the
    /// music files' analyses, the ducking and the cue sounds' energy (see `MixLoudnessModel`),
    /// without rendering the mix.
    static func predictMasterGain(
        _ timeline: Timeline, _ options: RenderOptions, _ sounds: PreparedSounds,
        _ music: MusicBed
    ) -> Float {
        let musicSteps = MixLoudnessModel.musicSteps(
            tracks: music.tracks, ducking: music.ducking, fadeOutStart: music.fadeOutStart,
            totalFrames: music.totalFrames, sampleRate: options.sampleRate)
        let cueSteps = MixLoudnessModel.cueSteps(
            timeline: timeline, source: sounds.source, phrases: sounds.phrases, channels: options.channels,
            sampleRate: options.sampleRate)
        return Float(
            MixLoudnessModel.masterGain(
                music: musicSteps, cues: cueSteps, target: options.loudnessTarget,
                sampleRate: options.sampleRate))
    }

    // MARK: Write

    /// Writes the track and returns its writer, complete but for `finish`, and how many times it was
    /// written; with music, measures what was written and writes again (at most
    /// `maximumWritingPasses` times in all) when its true peak passed the limit or its loudness missed
    /// the target by more than half a LU (limiting took some away, or the prediction was off).
    static func write(
        _ timeline: Timeline, _ options: RenderOptions, _ sounds: PreparedSounds,
        masterGain initialGain: Float, firstWriter: TrackWriter, makeWriter: () throws(RenderError) -> TrackWriter,
        stop: () throws -> Void, progress: ((Double) -> Void)?
    ) throws -> (TrackWriter, Int) {
        var masterGain = initialGain
        var ceiling = sounds.music == nil ? Self.ceiling : Self.musicCeiling
        var attempt = 0
        while true {
            attempt += 1
            let measurement =
                sounds.music == nil
                ? nil
                : WrittenMeasurement(
                    channels: options.channels, sampleRate: options.sampleRate,
                    blockFrames: TrackMix.blockSize, truePeakThreshold: Float(truePeakLimit))
            let mix = makeMix(timeline, options, sounds, masterGain: masterGain, ceiling: ceiling)
            let writer = attempt == 1 ? firstWriter : try makeWriter()
            var done: Int64 = 0
            while let block = try mix.nextBlock() {
                do {
                    try stop()
                } catch {
                    writer.abandon()
                    throw error
                }
                try writer.write(block.samples, frameCount: block.frames, sourceChannels: block.channels, silent: block.silent)
                measurement?.add(block.samples)
                done += Int64(block.frames)
                // A second pass, when there is one, starts the bar again from the middle.
                let fraction = Double(done) / Double(max(1, timeline.totalSamples))
                progress?(attempt == 1 ? fraction : 0.5 + fraction / 2)
            }
            if let measurement, attempt < Self.maximumWritingPasses {
                let (loudness, truePeak) = measurement.finish()
                let peakTooHigh = Double(truePeak) > truePeakLimit
                let loudnessOff = loudness.isFinite && abs(options.loudnessTarget - loudness) > 0.5
                if peakTooHigh || loudnessOff {
                    writer.abandon()
                    if peakTooHigh { ceiling *= Float(truePeakLimit / Double(truePeak)) * 0.98 }
                    if loudnessOff { masterGain *= Float(pow(10, (options.loudnessTarget - loudness) / 20)) }
                    continue
                }
            }
            return (writer, attempt)
        }
    }

    /// The integrated loudness of what `meter` measured (its chunks are 100 ms steps).
    static func loudness(_ meter: KWeightedEnergy) -> Double {
        let channels = meter.channels
        let steps = meter.energies.withUnsafeBufferPointer { energies in
            (0..<meter.chunkCount).map { step in
                (0..<channels).reduce(0.0) { $0 + Double(energies[step * channels + $1]) }
            }
        }
        return LoudnessGate.integratedLoudness(steps: steps, stepFrames: meter.chunkFrames)
    }

    /// The track's tags: the routine's title, and a chapter per step.
    static func metadata(of timeline: Timeline) -> TrackMetadata {
        TrackMetadata(
            title: timeline.title,
            chapters: timeline.steps.map { TrackMetadata.Chapter(start: $0.start, end: $0.end, title: $0.name) },
            sampleRate: timeline.sampleRate, totalFrames: timeline.totalSamples)
    }

    private static func makeMix(
        _ timeline: Timeline, _ options: RenderOptions, _ sounds: PreparedSounds,
        masterGain: Float, ceiling: Float?
    ) -> TrackMix {
        let cues = CueMixer(timeline: timeline, sampleRate: options.sampleRate, source: sounds.source, phrases: sounds.phrases)
        return TrackMix(
            totalFrames: timeline.totalSamples, sampleRate: options.sampleRate, outputChannels: options.channels,
            cues: cues, music: sounds.music?.playlist(), ducking: sounds.music?.ducking,
            masterGain: masterGain, limiterCeiling: ceiling)
    }
}
