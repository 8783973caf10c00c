/// One music file decoded block by block at the track's sample rate and channel count:
/// libsndfile reads it, channels are mixed down (or mono copied to both sides), and the rate is
/// converted as it goes (by the shared polyphase filter of the two rates, or libsamplerate for a
/// ratio without small factors). Memory stays the same however long the file is.
final class MusicDecoder {
    let path: String
    private let channels: Int
    private let converter: RateConverter?
    /// The file's blocks, read and mapped to the track's channels on a thread of their own.
    private let source: BlockPipe
    private var mapped: [Float]
    private var mappedStart = 0
    private var mappedCount = 0
    private var sourceFinished = false
    private var drained = false
    private static let blockFrames = 16_384
    /// The length at the track's rate that the file's header promises (0 when it does not say).
    let expectedFrames: Int64

    /// What converts the file's rate to the track's.
    private enum RateConverter {
        case polyphase(PolyphaseResampler)
        case libsamplerate(StreamingResampler)

        /// libsamplerate's failures become the music file's `InputError`, so they never reach the
        /// caller raw.
        func process(
            _ input: UnsafePointer<Float>, inputFrames: Int, into output: UnsafeMutablePointer<Float>,
            outputFrames: Int, endOfInput: Bool, path: String
        ) throws(InputError) -> (used: Int, made: Int) {
            switch self {
            case .polyphase(let resampler):
                return resampler.process(input, inputFrames: inputFrames, into: output, outputFrames: outputFrames, endOfInput: endOfInput)
            case .libsamplerate(let resampler):
                do {
                    return try resampler.process(
                        input, inputFrames: inputFrames, into: output, outputFrames: outputFrames, endOfInput: endOfInput)
                } catch {
                    throw InputError(path: path, reason: "cannot resample this music file: \(error.description)")
                }
            }
        }
    }

    init(path: String, sampleRate: Int, channels: Int) throws {
        self.path = path
        self.channels = channels
        let file = try Self.open(path)
        expectedFrames = file.hasKnownLength ? (file.frames * Int64(sampleRate) + Int64(file.sampleRate) - 1) / Int64(file.sampleRate) : 0
        if file.sampleRate == sampleRate {
            converter = nil
        } else if let filter = PolyphaseFilter.shared(from: file.sampleRate, to: sampleRate) {
            converter = .polyphase(PolyphaseResampler(filter: filter, channels: channels))
        } else {
            do {
                converter = .libsamplerate(try StreamingResampler(channels: channels, from: file.sampleRate, to: sampleRate))
            } catch {
                throw InputError(path: path, reason: "cannot resample this music file from \(file.sampleRate) Hz: \(error.description)")
            }
        }
        mapped = [Float](repeating: 0, count: Self.blockFrames * channels)
        let reader = SourceReader(file: file, path: path, channels: channels)
        source = BlockPipe(name: "cadence decode", depth: 4, blockSamples: Self.blockFrames * channels) { buffer, _ in
            try reader.read(into: buffer)
        }
    }

    /// Fills `output` with up to `frameCount` interleaved frames and returns how many it made;
    /// fewer than asked only at the end of the file.
    func read(into output: UnsafeMutablePointer<Float>, frameCount: Int) throws -> Int {
        var made = 0
        while made < frameCount {
            if mappedCount == 0, !sourceFinished { try readSource() }
            guard let converter else {
                // Same rate: copy mapped frames straight out.
                guard mappedCount > 0 else { break }
                let take = min(mappedCount, frameCount - made)
                mapped.withUnsafeBufferPointer { source in
                    (output + made * channels).update(from: source.baseAddress! + mappedStart * channels, count: take * channels)
                }
                mappedStart += take
                mappedCount -= take
                made += take
                continue
            }
            if drained { break }
            let result = try mapped.withUnsafeBufferPointer { source in
                try converter.process(
                    source.baseAddress! + mappedStart * channels, inputFrames: mappedCount,
                    into: output + made * channels, outputFrames: frameCount - made,
                    endOfInput: sourceFinished, path: path)
            }
            mappedStart += result.used
            mappedCount -= result.used
            made += result.made
            if sourceFinished, mappedCount == 0, result.made == 0 { drained = true }
        }
        return made
    }

    /// Takes the next block of the file, mapped to the track's channels.
    private func readSource() throws {
        let channels = self.channels
        let count = try source.take { block in
            mapped.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: block.baseAddress!, count: block.count) }
            return block.count / channels
        }
        mappedStart = 0
        mappedCount = count ?? 0
        if count == nil { sourceFinished = true }
    }

    /// Reads the file block by block on the decoding thread, which alone uses it.
    private final class SourceReader: @unchecked Sendable {
        private let file: Sndfile
        private let path: String
        private let channels: Int
        private var sourceBlock: [Float]
        private var framesRead: Int64 = 0

        init(file: Sndfile, path: String, channels: Int) {
            self.file = file
            self.path = path
            self.channels = channels
            sourceBlock = [Float](repeating: 0, count: MusicDecoder.blockFrames * file.channels)
        }

        /// Reads the next block into `out` (room for a block at the track's channels) and returns
        /// how many samples it holds; 0 at the end of the file.
        func read(into out: UnsafeMutablePointer<Float>) throws -> Int {
            let count: Int
            do {
                count = try sourceBlock.withUnsafeMutableBufferPointer { buffer in
                    try file.read(into: buffer.baseAddress!, frameCount: MusicDecoder.blockFrames)
                }
            } catch {
                throw InputError(path: path, reason: "cannot read this music file: \(AudioFileError.message(of: error))")
            }
            framesRead += Int64(count)
            if count == 0 {
                if file.hasKnownLength, framesRead < file.frames {
                    throw InputError(
                        path: path,
                        reason:
                            "this music file ends early: its header promises \(file.frames) frames but only \(framesRead) could be read (is it truncated?)"
                    )
                }
                return 0
            }
            sourceBlock.withUnsafeBufferPointer { source in
                MusicDecoder.map(source.baseAddress!, frames: count, channels: file.channels, into: out, channels: channels)
            }
            return count * channels
        }
    }

    /// Maps `frames` interleaved frames of `sourceChannels` to the track's 1 or 2 `channels`:
    /// mixed down, mono copied to both sides, or copied as they are.
    static func map(
        _ source: UnsafePointer<Float>, frames count: Int, channels sourceChannels: Int,
        into out: UnsafeMutablePointer<Float>, channels: Int
    ) {
        if channels == sourceChannels {
            out.update(from: source, count: count * channels)
        } else if channels == 1 {
            let scale = 1 / Float(sourceChannels)
            for frame in 0..<count {
                var sum: Float = 0
                for channel in 0..<sourceChannels { sum += source[frame * sourceChannels + channel] }
                out[frame] = sum * scale
            }
        } else if sourceChannels == 1 {
            for frame in 0..<count {
                out[frame * 2] = source[frame]
                out[frame * 2 + 1] = source[frame]
            }
        } else {
            for frame in 0..<count {
                let (left, right) = downmix(source + frame * sourceChannels, channels: sourceChannels)
                out[frame * 2] = left
                out[frame * 2 + 1] = right
            }
        }
    }

    /// Stereo from three or more channels, in WAV/Vorbis channel order: 3 = L R C, 4 = L R rear-L
    /// rear-R, 5 = L R C rear-L rear-R, 6 = 5.1 (L R C LFE rear-L rear-R; the LFE is left out); the
    /// centre and rear channels go to both or their own side at -3 dB. Past six channels, even
    /// channels go left and odd ones right. (Each file's loudness is normalized afterwards.)
    @inline(__always)
    static func downmix(_ frame: UnsafePointer<Float>, channels: Int) -> (Float, Float) {
        let half: Float = 0.7071
        switch channels {
        case 3: return (frame[0] + half * frame[2], frame[1] + half * frame[2])
        case 4: return (frame[0] + half * frame[2], frame[1] + half * frame[3])
        case 5: return (frame[0] + half * (frame[2] + frame[3]), frame[1] + half * (frame[2] + frame[4]))
        case 6: return (frame[0] + half * (frame[2] + frame[4]), frame[1] + half * (frame[2] + frame[5]))
        default:
            var left: Float = 0, right: Float = 0
            for channel in 0..<channels {
                if channel % 2 == 0 { left += frame[channel] } else { right += frame[channel] }
            }
            return (left, right)
        }
    }

    static func truncated(_ path: String) -> InputError {
        InputError(path: path, reason: "this music file ends early: its header promises more audio than it holds (is it truncated?)")
    }

    /// Opens a music file, refusing one that cannot be read, has no audio, or is cut short (a WAV
    /// whose header promises more than it holds, an Ogg stream without its last page).
    static func open(_ path: String) throws(InputError) -> Sndfile {
        let file = try Sndfile.openForReading(path: path, kind: "music file")
        guard file.frames > 0 else { throw InputError(path: path, reason: "this music file has no audio") }
        if file.isTruncated || OggEnding.endsCleanly(descriptor: file.descriptor) == false { throw truncated(path) }
        return file
    }
}
