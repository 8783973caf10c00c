import Foundation

/// One music file as the loudness prediction sees it, at the track's sample rate and channel count
/// (decoded, mapped and resampled exactly as it plays): its length, its integrated loudness, and the
/// K-weighted energy of each channel over consecutive chunks of `chunkFrames` frames (a tenth of
/// libebur128's 100 ms step, or the largest fraction up to that which divides it). Made by decoding
/// the file once; kept in the user's cache folder (see `MusicAnalysisStore`).
struct MusicAnalysis: Sendable, Equatable {
    /// Bumped whenever what is measured, or how the file is decoded, changes.
    static let version: UInt32 = 2

    var frames: Int64
    /// Integrated loudness in LUFS (as the file plays on its own, at the track's rate and channels).
    var loudness: Double
    var channels: Int
    var chunkFrames: Int
    /// Chunk after chunk, `channels` sums of squares each; the last chunk may be shorter.
    var energies: [Float]
    /// Where the file crossfades into its own start (a playlist of one file, or a file named twice
    /// in a row), its end and its start are summed: the K-weighted cross products of the last
    /// `loopFrames` frames with the first `loopFrames`, summed over the channels, per chunk of that
    /// overlap. They are what a loop that is seamless adds beyond the two energies (for music whose
    /// end and start do not correlate, about nothing).
    var loopCross: [Float]
    var loopFrames: Int64

    var chunkCount: Int { energies.count / channels }

    /// Takes decoded blocks as the file is measured: the block, and the file's expected length.
    typealias Keep = (UnsafeBufferPointer<Float>, Int64) throws -> Void

    init(
        frames: Int64, loudness: Double, channels: Int, chunkFrames: Int, energies: [Float],
        loopCross: [Float] = [], loopFrames: Int64 = 0
    ) {
        self.frames = frames
        self.loudness = loudness
        self.channels = channels
        self.chunkFrames = chunkFrames
        self.energies = energies
        self.loopCross = loopCross
        self.loopFrames = loopFrames
    }

    /// The chunk length for `sampleRate`: step / d for the largest d from 1 to 10 that divides
    /// libebur128's step, so chunks add up to whole steps.
    static func chunkFrames(sampleRate: Int) -> Int {
        let step = LoudnessGate.stepFrames(sampleRate: sampleRate)
        let divisor = (1...10).last { step % $0 == 0 } ?? 1
        return step / divisor
    }

    /// Decodes `path` at `sampleRate` and `channels` and measures it; the decoded frames are also
    /// handed to `keep` (block by block, in order, with the length the file's header promises) for
    /// whoever wants them.
    static func measure(
        _ path: String, sampleRate: Int, channels: Int, shouldStop: () -> Bool = { false },
        keep: Keep? = nil
    ) throws -> MusicAnalysis {
        let decoder = try MusicDecoder(path: path, sampleRate: sampleRate, channels: channels)
        let chunk = chunkFrames(sampleRate: sampleRate)
        var meter = KWeightedEnergy(channels: channels, sampleRate: sampleRate, chunkFrames: chunk)
        let blockFrames = 8_192
        var block = [Float](repeating: 0, count: blockFrames * channels)
        var filtered = [Float](repeating: 0, count: blockFrames * channels)
        // The K-weighted start of the file, and a ring of its latest frames, as long as the longest crossfade.
        let longest = Int(PlaylistSchedule.crossfade * Double(sampleRate))
        var head: [Float] = []
        var tail = [Float](repeating: 0, count: longest * channels)
        var frames: Int64 = 0
        while true {
            if shouldStop() { throw RenderError.interrupted(path: "", signal: StopSignal.signal) }
            let count = try block.withUnsafeMutableBufferPointer { try decoder.read(into: $0.baseAddress!, frameCount: blockFrames) }
            if count == 0 { break }
            try block.withUnsafeBufferPointer { buffer in
                filtered.withUnsafeMutableBufferPointer { meter.add(buffer.baseAddress!, frameCount: count, filtered: $0.baseAddress!) }
                try keep?(UnsafeBufferPointer(rebasing: buffer[0..<(count * channels)]), decoder.expectedFrames)
            }
            if head.count < longest * channels {
                head += filtered[0..<min(count * channels, longest * channels - head.count)]
            }
            // Into the ring, in at most two runs (where it wraps).
            filtered.withUnsafeBufferPointer { source in
                tail.withUnsafeMutableBufferPointer { ring in
                    var copied = 0
                    while copied < count {
                        let slot = Int((frames + Int64(copied)) % Int64(longest))
                        let run = min(count - copied, longest - slot)
                        (ring.baseAddress! + slot * channels).update(from: source.baseAddress! + copied * channels, count: run * channels)
                        copied += run
                    }
                }
            }
            frames += Int64(count)
        }
        meter.finish()
        // The overlap when the file follows itself (see PlaylistSchedule).
        let loop = max(1, min(Int64(longest), frames / 3))
        var loopCross = [Float](repeating: 0, count: Int((loop + Int64(chunk) - 1) / Int64(chunk)))
        if frames >= loop, head.count >= Int(loop) * channels {
            for offset in 0..<Int(loop) {
                let slot = Int((frames - loop + Int64(offset)) % Int64(longest)) * channels
                var product: Float = 0
                for channel in 0..<channels { product += tail[slot + channel] * head[offset * channels + channel] }
                loopCross[offset / chunk] += product
            }
        }
        var analysis = MusicAnalysis(
            frames: frames, loudness: -.infinity, channels: channels, chunkFrames: chunk,
            energies: meter.energies, loopCross: loopCross, loopFrames: loop)
        analysis.loudness = analysis.integratedLoudness(sampleRate: sampleRate)
        guard analysis.loudness.isFinite else { throw InputError(path: path, reason: "this music file is silent") }
        return analysis
    }

    /// The file's integrated loudness from its chunks.
    func integratedLoudness(sampleRate: Int) -> Double {
        let step = LoudnessGate.stepFrames(sampleRate: sampleRate)
        let perStep = step / chunkFrames
        let wholeSteps = Int(frames / Int64(step))
        var steps = [Double](repeating: 0, count: wholeSteps)
        energies.withUnsafeBufferPointer { energies in
            for index in 0..<wholeSteps {
                var sum = 0.0
                for chunk in (index * perStep)..<((index + 1) * perStep) {
                    for channel in 0..<channels { sum += Double(energies[chunk * channels + channel]) }
                }
                steps[index] = sum
            }
        }
        return LoudnessGate.integratedLoudness(steps: steps, stepFrames: step)
    }

    // MARK: Stored form

    /// The analysis as bytes (for the cache folder).
    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        func append<Value: FixedWidthInteger>(_ value: Value) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        append(UInt64(frames))
        append(loudness.bitPattern)
        append(UInt32(channels))
        append(UInt32(chunkFrames))
        append(UInt64(energies.count))
        energies.withUnsafeBytes { bytes.append(contentsOf: $0) }
        append(UInt64(loopFrames))
        append(UInt64(loopCross.count))
        loopCross.withUnsafeBytes { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The analysis `encoded` made, or nil when the bytes are not one.
    init?(decoding bytes: [UInt8]) {
        var reader = ByteReader(bytes)
        guard let frames = reader.uint64(), let loudness = reader.float64(), let channels = reader.uint32(),
            let chunkFrames = reader.uint32(), let count = reader.uint64(), count <= UInt64(reader.remaining / 4),
            let energies = reader.floats(Int(count)),
            let loopFrames = reader.uint64(), let loopCount = reader.uint64(), loopCount <= UInt64(reader.remaining / 4),
            let loopCross = reader.floats(Int(loopCount)), reader.remaining == 0, loopFrames <= frames,
            (1...2).contains(channels), chunkFrames > 0, frames > 0, frames < 1 << 48, loudness.isFinite,
            Int(count) % Int(channels) == 0,
            Int64(Int(count) / Int(channels)) == (Int64(frames) + Int64(chunkFrames) - 1) / Int64(chunkFrames)
        else { return nil }
        self.init(
            frames: Int64(frames), loudness: loudness, channels: Int(channels), chunkFrames: Int(chunkFrames), energies: energies,
            loopCross: loopCross, loopFrames: Int64(loopFrames))
    }
}
