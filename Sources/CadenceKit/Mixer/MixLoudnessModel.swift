import Foundation

/// Predicts the integrated loudness of a mix of music and cue sounds without rendering it, from
/// energies measured beforehand: each music file's K-weighted energy per 10 ms chunk (its
/// `MusicAnalysis`) times the square of the gain it plays at there (file gain, crossfade, ducking,
/// tail fade), plus the cue sounds' own K-weighted energy where they play. Energies of signals that
/// do not correlate add, so the sum per 100 ms step is the mix's, and BS.1770's gating over those
/// steps (`LoudnessGate`) gives its loudness. Every function here is pure.
enum MixLoudnessModel {
    /// The loudness of `music` plus `cues` (both per step, see below) at `masterGain`.
    static func integratedLoudness(music: [Double], cues: [Double], masterGain: Double, sampleRate: Int) -> Double {
        let power = masterGain * masterGain
        let steps = zip(music, cues).map { ($0 + $1) * power }
        return LoudnessGate.integratedLoudness(steps: steps, stepFrames: LoudnessGate.stepFrames(sampleRate: sampleRate))
    }

    /// The master gain that brings the predicted loudness to `target` (1 for silence).
    static func masterGain(music: [Double], cues: [Double], target: Double, sampleRate: Int) -> Double {
        var gain = 1.0
        // Gating is the same at every gain but for the absolute gate, so a second round settles it.
        for _ in 0..<2 {
            let loudness = integratedLoudness(music: music, cues: cues, masterGain: gain, sampleRate: sampleRate)
            guard loudness.isFinite else { return gain }
            gain *= pow(10, (target - loudness) / 20)
        }
        return gain
    }

    /// Steps (libebur128's 100 ms, from frame 0) covering `totalFrames`; a last partial step is dropped.
    static func stepCount(totalFrames: Int64, sampleRate: Int) -> Int {
        Int(totalFrames / Int64(LoudnessGate.stepFrames(sampleRate: sampleRate)))
    }

    /// Adds `energy` (negative for a cross term that takes some away), spread evenly over frames `start ..< start + length`, to the steps it falls in.
    @inline(__always)
    static func spread(_ energy: Double, start: Int64, length: Int, stepFrames: Int, into steps: UnsafeMutableBufferPointer<Double>) {
        guard energy != 0, length > 0 else { return }
        let step = Int64(stepFrames)
        var from = start
        let end = start + Int64(length)
        while from < end {
            let index = Int(from / step)
            guard index >= 0 else {
                from = 0
                continue
            }
            guard index < steps.count else { return }
            let to = min(end, Int64(index + 1) * step)
            steps[index] += energy * Double(to - from) / Double(length)
            from = to
        }
    }

    // MARK: Music

    /// The music's channel-summed energy per step as it plays in the mix at a master gain of 1.
    static func musicSteps(
        tracks: [MusicPlaylist.Track], ducking: DuckingEnvelope, fadeOutStart: Int64,
        totalFrames: Int64, sampleRate: Int
    ) -> [Double] {
        let stepFrames = LoudnessGate.stepFrames(sampleRate: sampleRate)
        var steps = [Double](repeating: 0, count: stepCount(totalFrames: totalFrames, sampleRate: sampleRate))
        var schedule = PlaylistSchedule(lengths: tracks.map(\.frames), sampleRate: sampleRate, totalFrames: totalFrames)
        steps.withUnsafeMutableBufferPointer { steps in
            var previous: PlaylistSchedule.Entry?
            while let entry = schedule.next() {
                let track = tracks[entry.track]
                let analysis = track.analysis
                let chunk = analysis.chunkFrames, channels = analysis.channels
                let fileGain = Double(track.gain)
                /// The gain of `entry` at `frame`, but for the file's own gain.
                func gain(_ entry: PlaylistSchedule.Entry, at frame: Int64) -> Double {
                    var gain = Double(ducking.gain(at: frame))
                    if frame - entry.start < entry.fadeIn || entry.end - 1 - frame < entry.fadeOut { gain *= entry.fadeGain(at: frame) }
                    if frame >= fadeOutStart {
                        gain *= MusicPlaylist.tailGain(at: frame, fadeOutStart: fadeOutStart, totalFrames: totalFrames)
                    }
                    return gain
                }
                analysis.energies.withUnsafeBufferPointer { energies in
                    for index in 0..<analysis.chunkCount {
                        let start = entry.start + Int64(index * chunk)
                        guard start < totalFrames else { break }
                        let length = Int(min(Int64(chunk), entry.frames - Int64(index * chunk), totalFrames - start))
                        guard length > 0 else { break }
                        let middle = start + Int64(length / 2)
                        let level = fileGain * gain(entry, at: middle)
                        var energy = 0.0
                        for channel in 0..<channels { energy += Double(energies[index * channels + channel]) }
                        spread(energy * level * level, start: start, length: length, stepFrames: stepFrames, into: steps)
                    }
                }
                // A file crossfading into its own start: its end and start may correlate (a seamless
                // loop), which adds 2 · gain · gain · their cross products.
                if let previous, tracks[previous.track].path == track.path, previous.fadeOut == analysis.loopFrames,
                    previous.end - previous.fadeOut == entry.start
                {
                    for (index, cross) in analysis.loopCross.enumerated() {
                        let start = entry.start + Int64(index * chunk)
                        guard start < totalFrames else { break }
                        let length = Int(min(Int64(chunk), analysis.loopFrames - Int64(index * chunk), totalFrames - start))
                        guard length > 0 else { break }
                        let middle = start + Int64(length / 2)
                        let product = fileGain * fileGain * gain(previous, at: middle) * gain(entry, at: middle)
                        spread(2 * Double(cross) * product, start: start, length: length, stepFrames: stepFrames, into: steps)
                    }
                }
                previous = entry
            }
        }
        return steps
    }

    // MARK: Cue sounds

    /// The cue sounds' energy per step, counted once per output channel (each channel carries them).
    static func cueSteps(
        timeline: Timeline, source: (Cue) -> [CueMixer.Source], phrases: [CueMixer.Phrase] = [],
        channels: Int, sampleRate: Int
    ) -> [Double] {
        let totalFrames = timeline.totalSamples
        let stepFrames = LoudnessGate.stepFrames(sampleRate: sampleRate)
        let chunk = MusicAnalysis.chunkFrames(sampleRate: sampleRate)
        var steps = [Double](repeating: 0, count: stepCount(totalFrames: totalFrames, sampleRate: sampleRate))
        // A sound's chunks are measured once however often it plays (keyed by its samples' storage).
        var measured: [SoundKey: [Float]] = [:]
        steps.withUnsafeMutableBufferPointer { steps in
            func add(_ sound: CueMixer.Source, at sample: Int64) {
                let energies: [Float]
                if let key = SoundKey(sound), let known = measured[key] {
                    energies = known
                } else {
                    energies = chunkEnergies(of: sound, chunk: chunk, sampleRate: sampleRate)
                    if let key = SoundKey(sound) { measured[key] = energies }
                }
                for (index, energy) in energies.enumerated() {
                    let start = sample + Int64(index * chunk)
                    guard start < totalFrames else { break }
                    let length = Int(min(Int64(chunk), totalFrames - start))
                    spread(Double(energy) * Double(channels), start: start, length: length, stepFrames: stepFrames, into: steps)
                }
            }
            for cue in timeline.cues where cue.sample < totalFrames {
                for sound in source(cue) { add(sound, at: cue.sample) }
            }
            for phrase in phrases where phrase.start < totalFrames { add(phrase.source, at: phrase.start) }
        }
        return steps
    }

    /// The identity of a sound's samples (the same array plays at every cue of its kind).
    private struct SoundKey: Hashable {
        var address: UInt
        var count: Int

        init?(_ source: CueMixer.Source) {
            let samples: [Float]
            switch source {
            case .samples(let all, _), .speech(let all, _): samples = all
            case .breath: return nil
            }
            address = samples.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
            count = samples.count
        }
    }

    /// The K-weighted energy of one sound alone, per chunk from its start, including the filter's
    /// ring-out in the chunk after it ends.
    static func chunkEnergies(of source: CueMixer.Source, chunk: Int, sampleRate: Int) -> [Float] {
        var meter = KWeightedEnergy(channels: 1, sampleRate: sampleRate, chunkFrames: chunk)
        switch source {
        case .samples(let samples, _), .speech(let samples, _):
            samples.withUnsafeBufferPointer { meter.add($0.baseAddress!, frameCount: $0.count) }
        case .breath(var tone):
            var block = [Float](repeating: 0, count: 8_192)
            var left = tone.length
            while left > 0 {
                let count = min(left, block.count)
                block.withUnsafeMutableBufferPointer { buffer in
                    buffer.baseAddress!.update(repeating: 0, count: count)
                    tone.render(adding: buffer.baseAddress!, count: count)
                    meter.add(buffer.baseAddress!, frameCount: count)
                }
                left -= count
            }
        }
        let silence = [Float](repeating: 0, count: chunk)
        silence.withUnsafeBufferPointer { meter.add($0.baseAddress!, frameCount: chunk) }
        meter.finish()
        return meter.energies
    }
}
