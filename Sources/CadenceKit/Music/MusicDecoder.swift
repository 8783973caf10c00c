/// One music file decoded block by block at the track's sample rate and channel count:
/// libsndfile reads it, channels are mixed down (or mono copied to both sides), and
/// libsamplerate converts the rate as it goes. Memory stays the same however long the file is.
final class MusicDecoder {
    let path: String
    private let file: Sndfile
    private let channels: Int
    private let resampler: StreamingResampler?
    private var sourceBlock: [Float]
    private var mapped: [Float]
    private var mappedStart = 0
    private var mappedCount = 0
    private var framesRead: Int64 = 0
    private var sourceFinished = false
    private var drained = false
    private static let blockFrames = 4096

    init(path: String, sampleRate: Int, channels: Int) throws {
        self.path = path
        self.channels = channels
        file = try Self.open(path)
        resampler = file.sampleRate == sampleRate ? nil
            : try StreamingResampler(channels: channels, from: file.sampleRate, to: sampleRate)
        sourceBlock = [Float](repeating: 0, count: Self.blockFrames * file.channels)
        mapped = [Float](repeating: 0, count: Self.blockFrames * channels)
    }

    /// Fills `output` with up to `frameCount` interleaved frames and returns how many it made;
    /// fewer than asked only at the end of the file.
    func read(into output: UnsafeMutablePointer<Float>, frameCount: Int) throws -> Int {
        var made = 0
        while made < frameCount {
            if mappedCount == 0, !sourceFinished { try readSource() }
            guard let resampler else {
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
                try resampler.process(source.baseAddress! + mappedStart * channels, inputFrames: mappedCount,
                                      into: output + made * channels, outputFrames: frameCount - made,
                                      endOfInput: sourceFinished)
            }
            mappedStart += result.used
            mappedCount -= result.used
            made += result.made
            if sourceFinished, mappedCount == 0, result.made == 0 { drained = true }
        }
        return made
    }

    /// Reads the next block of the file and maps its channels to the track's.
    private func readSource() throws {
        let count: Int
        do {
            count = try sourceBlock.withUnsafeMutableBufferPointer { buffer in
                try file.read(into: buffer.baseAddress!, frameCount: Self.blockFrames)
            }
        } catch {
            throw InputError(path: path, reason: "cannot read this music file: \(AudioFileError.message(of: error))")
        }
        framesRead += Int64(count)
        if count == 0 {
            sourceFinished = true
            if file.hasKnownLength, framesRead < file.frames {
                throw InputError(path: path, reason:
                    "this music file ends early: its header promises \(file.frames) frames but only \(framesRead) could be read (is it truncated?)")
            }
            return
        }
        let sourceChannels = file.channels
        let channels = self.channels
        sourceBlock.withUnsafeBufferPointer { sourceBuffer in
            mapped.withUnsafeMutableBufferPointer { mappedBuffer in
                let source = sourceBuffer.baseAddress!, out = mappedBuffer.baseAddress!
                for frame in 0..<count {
                    let base = frame * sourceChannels
                    if channels == 1 {
                        var sum: Float = 0
                        for channel in 0..<sourceChannels { sum += source[base + channel] }
                        out[frame] = sum / Float(sourceChannels)
                    } else if sourceChannels == 1 {
                        out[frame * 2] = source[base]
                        out[frame * 2 + 1] = source[base]
                    } else if sourceChannels == 2 {
                        out[frame * 2] = source[base]
                        out[frame * 2 + 1] = source[base + 1]
                    } else {
                        let (left, right) = Self.downmix(source + base, channels: sourceChannels)
                        out[frame * 2] = left
                        out[frame * 2 + 1] = right
                    }
                }
            }
        }
        mappedStart = 0
        mappedCount = count
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

    /// The file's integrated loudness (LUFS) and its length at `sampleRate` (counted, so it is right
    /// even when the header does not say), measured by reading it once at its own rate.
    static func measure(_ path: String, sampleRate: Int, shouldStop: () -> Bool = { false }) throws -> (loudness: Double, frames: Int64) {
        let file = try open(path)
        guard let meter = LoudnessMeter(channels: file.channels, sampleRate: file.sampleRate) else {
            throw InputError(path: path, reason: "cannot measure the loudness of this music file (\(file.channels) channels at \(file.sampleRate) Hz)")
        }
        var block = [Float](repeating: 0, count: blockFrames * file.channels)
        var total: Int64 = 0
        while true {
            if shouldStop() { throw RenderError.interrupted(path: "", signal: StopSignal.signal) }
            let count: Int
            do {
                count = try block.withUnsafeMutableBufferPointer { try file.read(into: $0.baseAddress!, frameCount: blockFrames) }
            } catch {
                throw InputError(path: path, reason: "cannot read this music file: \(AudioFileError.message(of: error))")
            }
            if count == 0 { break }
            total += Int64(count)
            block.withUnsafeBufferPointer { meter.add($0.baseAddress!, frameCount: count) }
        }
        if file.hasKnownLength, total < file.frames {
            throw InputError(path: path, reason:
                "this music file ends early: its header promises \(file.frames) frames but only \(total) could be read (is it truncated?)")
        }
        let loudness = meter.integratedLoudness
        guard loudness.isFinite else { throw InputError(path: path, reason: "this music file is silent") }
        return (loudness, Int64((Double(total) * Double(sampleRate) / Double(file.sampleRate)).rounded()))
    }
}
