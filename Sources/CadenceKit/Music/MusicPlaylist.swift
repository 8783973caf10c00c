import Foundation

/// The music bed as it plays: the files of the `PlaylistSchedule` mixed block by block, each
/// scaled by its own gain (its loudness normalization) and its crossfades; the music fades in at
/// the start and out over the tail. Only the one or two files sounding at a time are open. The
/// per-frame work is plain loops over buffers (gains first, then one multiply-add per sample).
final class MusicPlaylist {
    struct Track {
        var path: String
        /// Linear gain for this file.
        var gain: Float
        /// Length at the track's sample rate.
        var frames: Int64
        /// The file measured at the track's rate and channels.
        var analysis: MusicAnalysis
    }

    /// Where a playing file's samples come from: memory or a scratch file (see `MusicCache`), or a
    /// decoder, whose frames may also go to a scratch file (`tee`) for the file's later repeats.
    private enum Reader {
        case memory([Float], position: Int)
        case scratch(MusicScratch, position: Int64)
        case decoder(MusicDecoder, tee: Tee?)
    }

    /// A scratch file being filled as its music file plays for the first time.
    private struct Tee {
        var file: MusicScratch
        var reserved: Int64
        var failed = false
    }

    private struct Item {
        var entry: PlaylistSchedule.Entry
        var track: Track
        var reader: Reader?
    }

    private let tracks: [Track]
    private let sampleRate: Int
    private let channels: Int
    private let totalFrames: Int64
    private let fadeOutStart: Int64
    private var schedule: PlaylistSchedule
    private var items: [Item] = []
    private var position: Int64 = 0
    private var scratch: [Float] = []
    private var gains: [Float] = []
    private let cache: MusicCache?

    /// - Parameters:
    ///   - fadeOutStart: where the fade-out over the tail begins (it ends at `totalFrames`).
    ///   - cache: decoded files to reuse, shared by the passes of one render.
    init(tracks: [Track], sampleRate: Int, channels: Int, totalFrames: Int64, fadeOutStart: Int64, cache: MusicCache? = nil) {
        precondition(!tracks.isEmpty)
        self.tracks = tracks
        self.cache = cache
        self.sampleRate = sampleRate
        self.channels = channels
        self.totalFrames = totalFrames
        self.fadeOutStart = min(fadeOutStart, totalFrames)
        schedule = PlaylistSchedule(lengths: tracks.map(\.frames), sampleRate: sampleRate, totalFrames: totalFrames)
    }

    /// The tail fade's gain at `frame`: a raised cosine from 1 at `fadeOutStart` to 0 at the end.
    static func tailGain(at frame: Int64, fadeOutStart: Int64, totalFrames: Int64) -> Double {
        guard frame >= fadeOutStart else { return 1 }
        return Fade.raisedCosine(Double(totalFrames - frame - 1), Double(totalFrames - fadeOutStart))
    }

    /// Writes the next `frameCount` interleaved frames of music into `output` (overwriting it).
    func render(into output: UnsafeMutablePointer<Float>, frameCount: Int) throws {
        let channels = self.channels
        let blockEnd = position + Int64(frameCount)
        // Schedule every file that starts before the end of this block.
        while let start = schedule.upcomingStart, start < blockEnd, let entry = schedule.next() {
            items.append(Item(entry: entry, track: tracks[entry.track], reader: nil))
        }
        if scratch.count < frameCount * channels { scratch = [Float](repeating: 0, count: frameCount * channels) }
        if gains.count < frameCount { gains = [Float](repeating: 0, count: frameCount) }
        // The first file to sound in the block sets the output (and zeroes the rest), the others add.
        var written = false
        for index in items.indices {
            let item = items[index]
            let from = max(position, item.entry.start)
            let to = min(blockEnd, item.entry.end)
            guard from < to else { continue }
            if items[index].reader == nil { items[index].reader = try open(item.track) }
            let wanted = Int(to - from)
            let offset = Int(from - position)
            switch items[index].reader! {
            case .scratch(let file, let start):
                let made = try scratch.withUnsafeMutableBufferPointer { try file.read(into: $0.baseAddress!, from: start, count: wanted) }
                if !written { zero(output, frameCount: frameCount, except: offset..<(offset + made)) }
                scratch.withUnsafeBufferPointer { source in
                    add(
                        source.baseAddress!, frames: made, entry: item.entry, gain: item.track.gain, from: from,
                        into: output + offset * channels, replacing: !written)
                }
                written = true
                items[index].reader = .scratch(file, position: start + Int64(wanted))
            case .decoder(let decoder, var tee):
                let made = try scratch.withUnsafeMutableBufferPointer { try decoder.read(into: $0.baseAddress!, frameCount: wanted) }
                if let kept = tee, !kept.failed {
                    let ok = scratch.withUnsafeBufferPointer { kept.file.append(UnsafeBufferPointer(rebasing: $0[0..<(made * channels)])) }
                    if !ok { tee!.failed = true }
                    if let done = tee, done.failed || done.file.frames >= item.track.frames {
                        cache?.endScratch(
                            done.file, for: item.track.path, reserved: done.reserved,
                            whole: !done.failed && done.file.frames == item.track.frames)
                        tee = nil
                    }
                    items[index].reader = .decoder(decoder, tee: tee)
                }
                if !written { zero(output, frameCount: frameCount, except: offset..<(offset + made)) }
                scratch.withUnsafeBufferPointer { source in
                    add(
                        source.baseAddress!, frames: made, entry: item.entry, gain: item.track.gain, from: from,
                        into: output + offset * channels, replacing: !written)
                }
                written = true
            case .memory(let samples, let start):
                let made = max(0, min(wanted, samples.count / channels - start))
                if !written { zero(output, frameCount: frameCount, except: offset..<(offset + made)) }
                samples.withUnsafeBufferPointer { source in
                    add(
                        source.baseAddress! + start * channels, frames: made, entry: item.entry, gain: item.track.gain, from: from,
                        into: output + offset * channels, replacing: !written)
                }
                written = true
                items[index].reader = .memory(samples, position: start + wanted)
            }
        }
        if !written { output.update(repeating: 0, count: frameCount * channels) }
        for item in items where item.entry.end <= blockEnd { abandonTee(of: item) }
        items.removeAll { $0.entry.end <= blockEnd }
        applyTailFade(output, from: position, count: frameCount)
        position = blockEnd
    }

    deinit {
        for item in items { abandonTee(of: item) }
    }

    /// Opens a reader for a file about to play: from memory or a whole scratch file when the cache
    /// has one, else a decoder, which fills a scratch file for later repeats when the file is too
    /// large for memory.
    private func open(_ track: Track) throws -> Reader {
        if let samples = try cache?.samples(of: track) { return .memory(samples, position: 0) }
        if let file = cache?.scratchFile(for: track.path) { return .scratch(file, position: 0) }
        let decoder = try MusicDecoder(path: track.path, sampleRate: sampleRate, channels: channels)
        let tee = cache?.startScratch(for: track.path, frames: track.frames).map { Tee(file: $0, reserved: track.frames) }
        return .decoder(decoder, tee: tee)
    }

    /// Gives up on a scratch file that an item did not fill (the session ended before the file did).
    private func abandonTee(of item: Item) {
        if case .decoder(_, let tee?) = item.reader {
            cache?.endScratch(tee.file, for: item.track.path, reserved: tee.reserved, whole: false)
        }
    }

    /// Zeroes the frames of the block outside `kept`.
    private func zero(_ output: UnsafeMutablePointer<Float>, frameCount: Int, except kept: Range<Int>) {
        output.update(repeating: 0, count: kept.lowerBound * channels)
        (output + kept.upperBound * channels).update(repeating: 0, count: (frameCount - kept.upperBound) * channels)
    }

    /// Adds (or with `replacing`, writes) `frames` frames of `source`, times the entry's gains from
    /// frame `from` on, into `output`.
    private func add(
        _ source: UnsafePointer<Float>, frames: Int, entry: PlaylistSchedule.Entry, gain: Float, from: Int64,
        into output: UnsafeMutablePointer<Float>, replacing: Bool
    ) {
        guard frames > 0 else { return }
        gains.withUnsafeMutableBufferPointer { buffer in
            let gains = buffer.baseAddress!
            FadeCurve.fill(gains, entry: entry, gain: gain, from: from, count: frames)
            switch (channels, replacing) {
            case (2, true):
                for frame in 0..<frames {
                    output[2 * frame] = source[2 * frame] * gains[frame]
                    output[2 * frame + 1] = source[2 * frame + 1] * gains[frame]
                }
            case (2, false):
                for frame in 0..<frames {
                    output[2 * frame] += source[2 * frame] * gains[frame]
                    output[2 * frame + 1] += source[2 * frame + 1] * gains[frame]
                }
            case (_, true):
                for frame in 0..<frames { output[frame] = source[frame] * gains[frame] }
            default:
                for frame in 0..<frames { output[frame] += source[frame] * gains[frame] }
            }
        }
    }

    private func applyTailFade(_ output: UnsafeMutablePointer<Float>, from start: Int64, count: Int) {
        let length = totalFrames - fadeOutStart
        let end = start + Int64(count)
        guard length > 0, end > fadeOutStart else { return }
        let first = max(start, fadeOutStart)
        let frames = Int(end - first)
        let offset = Int(first - start)
        gains.withUnsafeMutableBufferPointer { buffer in
            let gains = buffer.baseAddress!
            // 0.5 · (1 − cos(π·p/L)) = sin²(π·p/(2L)), with p = totalFrames − frame − 1 falling.
            gains.update(repeating: 1, count: frames)
            let step = Double.pi / (2 * Double(length))
            FadeCurve.multiplySine(gains, count: frames, start: step * Double(totalFrames - first - 1), step: -step, squared: true)
            let output = output + offset * channels
            if channels == 2 {
                for frame in 0..<frames {
                    output[2 * frame] *= gains[frame]
                    output[2 * frame + 1] *= gains[frame]
                }
            } else {
                for frame in 0..<frames { output[frame] *= gains[frame] }
            }
        }
    }
}
