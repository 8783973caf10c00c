import Foundation

/// Writes a track through libsndfile into an `OutputFile`, which appears at the destination only
/// once it is complete. If anything fails, or the writer is abandoned, nothing appears and an
/// existing file at the destination is left untouched.
final class TrackWriter {
    let destination: String
    private let format: AudioFormat
    private let bitDepth: BitDepth
    private let channels: Int
    private let metadata: TrackMetadata
    private let output: OutputFile
    private var file: Sndfile?
    private var shorts: [Int16] = []
    private var ints: [Int32] = []
    private var floats: [Float] = []
    /// How many leading entries of the conversion buffer are known to be zero (so silent blocks need no filling).
    private var zeroPrefix = 0
    private var finished = false

    convenience init(
        destination: String, format: AudioFormat, bitDepth: BitDepth, sampleRate: Int, channels: Int,
        metadata: TrackMetadata, quality: Double? = nil
    ) throws(RenderError) {
        try self.init(
            output: try OutputFile(destination: destination), format: format, bitDepth: bitDepth,
            sampleRate: sampleRate, channels: channels, metadata: metadata, quality: quality)
    }

    /// Writes into `output` (a destination's file, or a scratch file that is read back and dropped).
    /// - Parameter quality: the encoder's quality for Ogg, Opus and MP3 (see `Sndfile.openForWriting`).
    init(
        output: OutputFile, format: AudioFormat, bitDepth: BitDepth, sampleRate: Int, channels: Int,
        metadata: TrackMetadata, quality: Double? = nil
    ) throws(RenderError) {
        destination = output.destination
        self.format = format
        self.bitDepth = bitDepth
        self.channels = channels
        self.metadata = metadata
        self.output = output
        let totalFrames = metadata.totalFrames
        let bytesPerSample: Int64 = bitDepth == .pcm16 ? 2 : (bitDepth == .pcm24 ? 3 : 4)
        // RIFF sizes are 32-bit: past 4 GiB (less room for headers and markers) the WAV becomes RF64.
        let largeWAV = format == .wav && totalFrames * Int64(channels) * bytesPerSample > 0xFFFF_FFFF - 1_048_576
        do {
            file = try Sndfile.openForWriting(
                descriptor: output.descriptor, path: destination, format: format, bitDepth: bitDepth,
                sampleRate: sampleRate, channels: channels, largeWAV: largeWAV, title: metadata.title,
                quality: quality)
        } catch {
            abandon()
            // The file was created: failing to write its header on a full disk is a write error (74).
            if let reason = error.systemReason { throw .writeFailed(path: destination, reason: reason) }
            throw .cannotCreateOutput(path: destination, reason: error.message)
        }
    }

    deinit {
        if !finished { abandon() }
    }

    /// Writes `frameCount` frames of `samples`, which hold `sourceChannels` interleaved channels:
    /// the track's own count, or 1, in which case every channel gets the same signal.
    /// `silent` promises every sample is 0.
    func write(_ samples: UnsafeBufferPointer<Float>, frameCount: Int, sourceChannels: Int, silent: Bool) throws(RenderError) {
        guard let file else { return }
        precondition(sourceChannels == 1 || sourceChannels == channels)
        let count = frameCount * channels
        do {
            switch (format, bitDepth) {
            case (.wav, .pcm16), (.flac, .pcm16):
                try fill(
                    &shorts, count: count, from: samples, sourceChannels: sourceChannels, silent: silent,
                    convert: SampleConversion.int16
                ) { buffer throws(AudioFileError) in
                    try file.write(buffer, frameCount: frameCount)
                }
            case (.wav, .pcm24), (.flac, .pcm24):
                try fill(
                    &ints, count: count, from: samples, sourceChannels: sourceChannels, silent: silent,
                    convert: { SampleConversion.int24($0) << 8 }
                ) { buffer throws(AudioFileError) in
                    try file.write(buffer, frameCount: frameCount)
                }
            default:
                try fill(
                    &floats, count: count, from: samples, sourceChannels: sourceChannels, silent: silent,
                    convert: { $0 }
                ) { buffer throws(AudioFileError) in
                    try file.write(buffer, frameCount: frameCount)
                }
            }
        } catch {
            throw .writeFailed(path: destination, reason: error.systemReason ?? error.message)
        }
    }

    /// Converts into the reusable `buffer` (zeros are written once and kept while blocks stay silent)
    /// and hands it to `write`.
    private func fill<Sample: Numeric>(
        _ buffer: inout [Sample], count: Int, from samples: UnsafeBufferPointer<Float>,
        sourceChannels: Int, silent: Bool, convert: (Float) -> Sample,
        write: (UnsafePointer<Sample>) throws(AudioFileError) -> Void
    ) throws(AudioFileError) {
        if buffer.count < count {
            buffer = [Sample](repeating: 0, count: count)
            zeroPrefix = count
        }
        let channels = self.channels
        let zeroed = zeroPrefix
        try buffer.withUnsafeMutableBufferPointer { out throws(AudioFileError) in
            let out = out.baseAddress!
            if silent {
                if zeroed < count { out.update(repeating: 0, count: count) }
            } else if sourceChannels == 1 && channels == 2 {
                let frames = count / 2
                let source = samples.baseAddress!
                for frame in 0..<frames {
                    let value = convert(source[frame])
                    out[2 * frame] = value
                    out[2 * frame + 1] = value
                }
            } else {
                let source = samples.baseAddress!
                for index in 0..<count { out[index] = convert(source[index]) }
            }
            try write(UnsafePointer(out))
        }
        zeroPrefix = silent ? max(zeroed, count) : 0
    }

    /// Completes the file (its tags and chapters: see `TrackMetadata`), runs
    /// `beforeRename` and puts the track at its destination; returns the stamp of what was written.
    /// The rename is atomic, so the destination holds either the old file or the whole new one. The
    /// data is not forced to disk first (no fsync): that would double the time of a render for
    /// protection against power cuts only, which the journal's ordering of data before renames
    /// (ext4's default) already gives in practice.
    @discardableResult
    func finish(beforeRename: () throws -> Void = {}) throws -> FileStamp {
        try complete()
        do {
            try beforeRename()
        } catch {
            abandon()
            throw error
        }
        return try commit()
    }

    /// Completes the file without putting it in place (see `finish`).
    func complete() throws(RenderError) {
        guard let file else { throw .writeFailed(path: destination, reason: "the track was abandoned") }
        self.file = nil
        do {
            try file.close()
            if format == .wav {
                // The markers are appended in place.
                try metadata.appendWAVChunks(to: output.descriptor)
            } else {
                // The tags go in front (MP3), or in headers that are rebuilt (Ogg, FLAC): a copy.
                let format = self.format, metadata = self.metadata
                try output.rewrite { source, target in try metadata.copyTrack(format, from: source, to: target) }
            }
        } catch let error as AudioFileError {
            abandon()
            throw .writeFailed(path: destination, reason: error.systemReason ?? error.message)
        } catch let error as SystemCallError {
            abandon()
            throw .writeFailed(path: destination, reason: error.reason)
        } catch {
            abandon()
            throw .writeFailed(path: destination, reason: "\(error)")
        }
    }

    /// The bytes of the completed file.
    func contents() throws(RenderError) -> [UInt8] { try output.contents() }

    /// Puts the completed file at its destination.
    @discardableResult
    func commit() throws(RenderError) -> FileStamp {
        finished = true
        return try output.commit()
    }

    /// Drops the partial file.
    func abandon() {
        file = nil
        output.abandon()
        finished = true
    }
}

/// Float samples to integer PCM, rounding to nearest and clamping at full scale
/// (the same scaling libsndfile uses when it reads PCM back as float: 1.0 = 2^15 or 2^23).
enum SampleConversion {
    @inline(__always)
    static func int16(_ value: Float) -> Int16 {
        let clamped = max(-32768, min(32767, value * 32768))
        // Adding 1.5·2^23 rounds to the nearest integer (ties to even) and leaves that integer in the
        // low bits of the float: no conversion checks, so the loop vectorizes.
        return Int16(truncatingIfNeeded: (clamped + 12_582_912).bitPattern)
    }

    @inline(__always)
    static func int24(_ value: Float) -> Int32 {
        let scaled = (Double(value) * 8_388_608).rounded(.toNearestOrEven)
        return Int32(max(-8_388_608, min(8_388_607, scaled)))
    }
}
