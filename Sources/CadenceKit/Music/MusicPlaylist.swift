import Foundation

/// The music bed: the files play in order with equal-power crossfades and repeat until the session
/// ends; the music fades in at the start and out over the tail. Each file is scaled by its own gain
/// (its loudness normalization). Only the one or two files sounding at a time are open.
final class MusicPlaylist {
    struct Track {
        var path: String
        /// Linear gain for this file.
        var gain: Float
        /// Length at the track's sample rate.
        var frames: Int64
    }

    /// Crossfade between files, and the fade-in at the start, in seconds.
    static let crossfade = 3.0
    static let fadeIn = 2.0

    /// Where a playing file's samples come from: memory (see `MusicCache`) or a decoder.
    private enum Reader {
        case memory([Float], position: Int)
        case decoder(MusicDecoder)
    }

    private struct Item {
        var track: Track
        var start: Int64
        var fadeIn: Int64
        var fadeOut: Int64
        var reader: Reader?
        var end: Int64 { start + track.frames }
    }

    private let tracks: [Track]
    private let sampleRate: Int
    private let channels: Int
    private let totalFrames: Int64
    private let fadeOutStart: Int64
    private let crossfadeFrames: Int64
    private var items: [Item] = []
    private var nextTrack = 0
    private var nextStart: Int64 = 0
    private var nextFadeIn: Int64
    private var position: Int64 = 0
    private var scratch: [Float] = []
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
        crossfadeFrames = Int64(Self.crossfade * Double(sampleRate))
        nextFadeIn = min(Int64(Self.fadeIn * Double(sampleRate)), tracks[0].frames / 3)
    }

    /// Writes the next `frameCount` interleaved frames of music into `output` (overwriting it).
    func render(into output: UnsafeMutablePointer<Float>, frameCount: Int) throws {
        output.update(repeating: 0, count: frameCount * channels)
        let blockEnd = position + Int64(frameCount)
        // Schedule every file that starts before the end of this block.
        while nextStart < blockEnd, nextStart < totalFrames {
            let track = tracks[nextTrack % tracks.count]
            let following = tracks[(nextTrack + 1) % tracks.count]
            let fadeOut = max(1, min(crossfadeFrames, track.frames / 3, following.frames / 3))
            items.append(Item(track: track, start: nextStart, fadeIn: max(1, nextFadeIn), fadeOut: fadeOut, reader: nil))
            nextStart += max(1, track.frames - fadeOut)
            nextFadeIn = fadeOut
            nextTrack += 1
        }
        if scratch.count < frameCount * channels { scratch = [Float](repeating: 0, count: frameCount * channels) }
        for index in items.indices {
            let item = items[index]
            let from = max(position, item.start)
            let to = min(blockEnd, item.end)
            guard from < to else { continue }
            if items[index].reader == nil {
                if let samples = try cache?.samples(of: item.track) {
                    items[index].reader = .memory(samples, position: 0)
                } else {
                    items[index].reader = .decoder(try MusicDecoder(path: item.track.path, sampleRate: sampleRate, channels: channels))
                }
            }
            let wanted = Int(to - from)
            let made: Int
            switch items[index].reader! {
            case .decoder(let decoder):
                made = try scratch.withUnsafeMutableBufferPointer { try decoder.read(into: $0.baseAddress!, frameCount: wanted) }
            case .memory(let samples, let start):
                made = max(0, min(wanted, samples.count / channels - start))
                if made > 0 {
                    scratch.withUnsafeMutableBufferPointer { buffer in
                        samples.withUnsafeBufferPointer { source in
                            buffer.baseAddress!.update(from: source.baseAddress! + start * channels, count: made * channels)
                        }
                    }
                }
                items[index].reader = .memory(samples, position: start + wanted)
            }
            let offset = Int(from - position)
            for frame in 0..<made {
                let at = from + Int64(frame)
                let gain = item.track.gain * Float(fadeGain(item, at: at))
                for channel in 0..<channels {
                    output[(offset + frame) * channels + channel] += scratch[frame * channels + channel] * gain
                }
            }
        }
        items.removeAll { $0.end <= blockEnd }
        applyTailFade(output, from: position, count: frameCount)
        position = blockEnd
    }

    /// Equal-power crossfade gains: sin rising over the fade-in, cos falling over the fade-out.
    private func fadeGain(_ item: Item, at frame: Int64) -> Double {
        let into = frame - item.start
        let left = item.end - 1 - frame
        var gain = 1.0
        if into < item.fadeIn { gain *= sin(Double.pi / 2 * Double(into + 1) / Double(item.fadeIn + 1)) }
        if left < item.fadeOut { gain *= sin(Double.pi / 2 * Double(left + 1) / Double(item.fadeOut + 1)) }
        return gain
    }

    private func applyTailFade(_ output: UnsafeMutablePointer<Float>, from start: Int64, count: Int) {
        let length = totalFrames - fadeOutStart
        guard length > 0, start + Int64(count) > fadeOutStart else { return }
        for frame in 0..<count {
            let at = start + Int64(frame)
            guard at >= fadeOutStart else { continue }
            let gain = Float(Fade.raisedCosine(Double(totalFrames - at - 1), Double(length)))
            for channel in 0..<channels { output[frame * channels + channel] *= gain }
        }
    }
}
