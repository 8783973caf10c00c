import Foundation

/// Writes a track through libsndfile into a temporary file beside its destination, and renames it
/// over the destination only once it is complete. If anything fails, or the writer is abandoned,
/// the temporary file is removed and an existing file at the destination is left untouched.
final class TrackWriter {
    let destination: String
    let temporaryPath: String
    private let format: AudioFormat
    private let bitDepth: BitDepth
    private let channels: Int
    private var descriptor: Int32
    private var file: Sndfile?
    private var shorts: [Int16] = []
    private var ints: [Int32] = []
    private var finished = false

    init(destination: String, format: AudioFormat, bitDepth: BitDepth, sampleRate: Int, channels: Int,
         title: String, totalFrames: Int64) throws(RenderError) {
        self.destination = destination
        self.format = format
        self.bitDepth = bitDepth
        self.channels = channels
        try Self.checkDestination(destination)
        let folder = (destination as NSString).deletingLastPathComponent
        let name = (destination as NSString).lastPathComponent
        temporaryPath = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid()).cadence-partial"
        descriptor = open(temporaryPath, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .cannotCreateOutput(path: destination, reason: SystemError.describe(errno, reading: false))
        }
        let bytesPerSample: Int64 = bitDepth == .pcm16 ? 2 : (bitDepth == .pcm24 ? 3 : 4)
        // RIFF sizes are 32-bit: past 4 GiB (less room for headers and markers) the WAV becomes RF64.
        let largeWAV = format == .wav && totalFrames * Int64(channels) * bytesPerSample > 0xFFFF_FFFF - 1_048_576
        do {
            file = try Sndfile.openForWriting(descriptor: descriptor, path: destination, format: format, bitDepth: bitDepth,
                                              sampleRate: sampleRate, channels: channels, largeWAV: largeWAV, title: title)
        } catch {
            abandon()
            throw .cannotCreateOutput(path: destination, reason: error.message)
        }
    }

    deinit {
        if !finished { abandon() }
    }

    /// The destination must be a file in an existing folder, and not a folder itself.
    static func checkDestination(_ path: String) throws(RenderError) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw .cannotCreateOutput(path: path, reason: "it is a folder")
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            if !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
                throw .cannotCreateOutput(path: path, reason: "the folder \(folder) does not exist")
            }
            if !isFolder.boolValue {
                throw .cannotCreateOutput(path: path, reason: "\(folder) is not a folder")
            }
        }
    }

    /// Writes `frameCount` interleaved frames. `silent` promises every sample is 0.
    func write(_ samples: UnsafeBufferPointer<Float>, frameCount: Int, silent: Bool) throws(RenderError) {
        guard let file else { return }
        let count = frameCount * channels
        do {
            switch (format, bitDepth) {
            case (.wav, .pcm16), (.flac, .pcm16):
                if shorts.count < count { shorts = [Int16](repeating: 0, count: count) }
                try shorts.withUnsafeMutableBufferPointer { buffer throws(AudioFileError) in
                    if silent {
                        buffer.baseAddress!.update(repeating: 0, count: count)
                    } else {
                        for index in 0..<count { buffer[index] = SampleConversion.int16(samples[index]) }
                    }
                    try file.write(UnsafePointer(buffer.baseAddress!), frameCount: frameCount)
                }
            case (.wav, .pcm24), (.flac, .pcm24):
                if ints.count < count { ints = [Int32](repeating: 0, count: count) }
                try ints.withUnsafeMutableBufferPointer { buffer throws(AudioFileError) in
                    if silent {
                        buffer.baseAddress!.update(repeating: 0, count: count)
                    } else {
                        for index in 0..<count { buffer[index] = SampleConversion.int24(samples[index]) << 8 }
                    }
                    try file.write(UnsafePointer(buffer.baseAddress!), frameCount: frameCount)
                }
            default:
                try file.write(samples.baseAddress!, frameCount: frameCount)
            }
        } catch {
            throw .writeFailed(path: destination, reason: error.message)
        }
    }

    /// Completes the file (markers for WAV, fixed Ogg serial numbers), flushes it to disk and
    /// renames it over the destination.
    func finish(markers: [WavMarkers.Marker]) throws(RenderError) {
        guard let file else { return }
        self.file = nil
        do {
            try file.close()
            if format == .wav { try WavMarkers.append(markers, descriptor: descriptor) }
            if format == .ogg || format == .opus { try OggSerialNumbers.normalize(descriptor: descriptor) }
            try SystemCall.check(fsync(descriptor), "flush to disk")
        } catch let error as AudioFileError {
            abandon()
            throw .writeFailed(path: destination, reason: error.message)
        } catch {
            abandon()
            throw .writeFailed(path: destination, reason: "\(error)")
        }
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, destination) == 0 else {
            let code = errno
            unlink(temporaryPath)
            finished = true
            throw .cannotCreateOutput(path: destination, reason: SystemError.describe(code, reading: false))
        }
        finished = true
    }

    /// Drops the partial file.
    func abandon() {
        file = nil
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporaryPath)
        finished = true
    }
}

/// Float samples to integer PCM, rounding to nearest and clamping at full scale
/// (the same scaling libsndfile uses when it reads PCM back as float: 1.0 = 2^15 or 2^23).
enum SampleConversion {
    @inline(__always)
    static func int16(_ value: Float) -> Int16 {
        let scaled = (value * 32768).rounded()
        return Int16(max(-32768, min(32767, scaled)))
    }

    @inline(__always)
    static func int24(_ value: Float) -> Int32 {
        let scaled = (Double(value) * 8_388_608).rounded()
        return Int32(max(-8_388_608, min(8_388_607, scaled)))
    }
}
