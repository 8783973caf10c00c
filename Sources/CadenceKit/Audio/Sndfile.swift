import CSndfile
import Foundation

/// An open libsndfile handle. This is the one place libsndfile is called: every failing call
/// becomes an `AudioFileError` naming the operation, the path and libsndfile's message.
final class Sndfile {
    private var handle: OpaquePointer?
    let path: String
    let frames: Int64
    let sampleRate: Int
    let channels: Int

    private init(handle: OpaquePointer, path: String, info: SF_INFO) {
        self.handle = handle
        self.path = path
        frames = info.frames
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
    }

    deinit {
        if let handle { sf_close(handle) }
    }

    // MARK: Opening

    /// Opens an audio file of any format libsndfile reads.
    static func openForReading(path: String) throws(AudioFileError) -> Sndfile {
        var info = SF_INFO()
        guard let handle = sf_open(path, Int32(SFM_READ), &info) else {
            throw AudioFileError(.open, path: path, message: globalMessage())
        }
        let file = Sndfile(handle: handle, path: path, info: info)
        if info.channels < 1 || info.samplerate < 1 {
            throw AudioFileError(.open, path: path, message: "the file has no audio channels")
        }
        return file
    }

    /// Starts writing a track to the open descriptor `fd` (which the caller closes).
    static func openForWriting(descriptor fd: Int32, path: String, format: AudioFormat, bitDepth: BitDepth,
                               sampleRate: Int, channels: Int, largeWAV: Bool, title: String) throws(AudioFileError) -> Sndfile {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = Int32(formatCode(format, bitDepth: bitDepth, largeWAV: largeWAV))
        guard sf_format_check(&info) == SF_TRUE else {
            throw AudioFileError(.create, path: path,
                message: "libsndfile cannot write \(format.rawValue) with these settings (\(sampleRate) Hz, \(channels) channels, \(bitDepth.rawValue))")
        }
        errno = 0
        guard let handle = sf_open_fd(fd, Int32(SFM_WRITE), &info, Int32(SF_FALSE)) else {
            throw AudioFileError(.create, path: path, message: globalMessage(), systemError: errno)
        }
        let file = Sndfile(handle: handle, path: path, info: info)
        // libsndfile wraps float overflow around by default; clip instead.
        _ = sf_command(handle, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        // The PEAK chunk carries a time stamp, which would make two renders differ.
        _ = sf_command(handle, Int32(SFC_SET_ADD_PEAK_CHUNK), nil, Int32(SF_FALSE))
        if format == .ogg || format == .opus || format == .mp3 {
            var quality = 0.6
            _ = sf_command(handle, Int32(SFC_SET_VBR_ENCODING_QUALITY), &quality, Int32(MemoryLayout<Double>.size))
        }
        if format == .flac {
            var level = 0.5
            _ = sf_command(handle, Int32(SFC_SET_COMPRESSION_LEVEL), &level, Int32(MemoryLayout<Double>.size))
        }
        // MP3 titles are written by the track writer as a UTF-8 ID3 tag (see TrackMetadata): LAME
        // would store them as Latin-1.
        if format != .mp3, sf_set_string(handle, Int32(SF_STR_TITLE), title) != 0 {
            throw AudioFileError(.configure, path: path, message: "cannot set the title: " + file.message)
        }
        return file
    }

    static func formatCode(_ format: AudioFormat, bitDepth: BitDepth, largeWAV: Bool) -> Int {
        let subtype: Int
        switch bitDepth {
        case .pcm16: subtype = Int(SF_FORMAT_PCM_16)
        case .pcm24: subtype = Int(SF_FORMAT_PCM_24)
        case .float: subtype = Int(SF_FORMAT_FLOAT)
        }
        switch format {
        case .wav: return Int(largeWAV ? SF_FORMAT_RF64 : SF_FORMAT_WAV) | subtype
        case .flac: return Int(SF_FORMAT_FLAC) | subtype
        case .ogg: return Int(SF_FORMAT_OGG) | Int(SF_FORMAT_VORBIS)
        case .opus: return Int(SF_FORMAT_OGG) | Int(SF_FORMAT_OPUS)
        case .mp3: return Int(SF_FORMAT_MPEG) | Int(SF_FORMAT_MPEG_LAYER_III)
        }
    }

    /// Whether the header gives the length (libsndfile reports an unknown one as SF_COUNT_MAX).
    var hasKnownLength: Bool { frames < Int64.max / 2 }

    /// libsndfile's log of what it found while opening the file.
    var log: String {
        var buffer = [CChar](repeating: 0, count: 8192)
        _ = sf_command(handle, Int32(SFC_GET_LOG_INFO), &buffer, Int32(buffer.count))
        return String(cString: buffer)
    }

    /// Whether the header promised more audio than the file holds. libsndfile shortens the length
    /// to what is there and notes the difference in its log (`data : 3528000 (should be 799920)`).
    var isTruncated: Bool {
        log.split(separator: "\n").contains { line in
            (line.hasPrefix("data") || line.hasPrefix("SSND")) && line.contains("(should be")
        }
    }

    // MARK: Reading and writing

    /// Reads up to `frameCount` interleaved frames; returns how many were read (0 at the end).
    func read(into buffer: UnsafeMutablePointer<Float>, frameCount: Int) throws(AudioFileError) -> Int {
        let count = Int(sf_readf_float(handle, buffer, Int64(frameCount)))
        if count < frameCount, sf_error(handle) != 0 {
            throw AudioFileError(.read, path: path, message: message)
        }
        return count
    }

    /// The whole file as one channel: the average of its channels, frame by frame.
    func readAllMono() throws(AudioFileError) -> [Float] {
        var interleaved = [Float](repeating: 0, count: Int(frames) * channels)
        let read = try interleaved.withUnsafeMutableBufferPointer { buffer throws(AudioFileError) in
            try self.read(into: buffer.baseAddress!, frameCount: Int(frames))
        }
        guard channels > 1 else { return Array(interleaved.prefix(read)) }
        var mono = [Float](repeating: 0, count: read)
        for frame in 0..<read {
            var sum: Float = 0
            for channel in 0..<channels { sum += interleaved[frame * channels + channel] }
            mono[frame] = sum / Float(channels)
        }
        return mono
    }

    func write(_ buffer: UnsafePointer<Float>, frameCount: Int) throws(AudioFileError) {
        errno = 0
        let written = sf_writef_float(handle, buffer, Int64(frameCount))
        if written != Int64(frameCount) { throw AudioFileError(.write, path: path, message: message, systemError: errno) }
    }

    func write(_ buffer: UnsafePointer<Int16>, frameCount: Int) throws(AudioFileError) {
        errno = 0
        let written = sf_writef_short(handle, buffer, Int64(frameCount))
        if written != Int64(frameCount) { throw AudioFileError(.write, path: path, message: message, systemError: errno) }
    }

    func write(_ buffer: UnsafePointer<Int32>, frameCount: Int) throws(AudioFileError) {
        errno = 0
        let written = sf_writef_int(handle, buffer, Int64(frameCount))
        if written != Int64(frameCount) { throw AudioFileError(.write, path: path, message: message, systemError: errno) }
    }

    /// Finishes the file (headers, encoder flush) and releases the handle.
    func close() throws(AudioFileError) {
        guard let handle else { return }
        self.handle = nil
        errno = 0
        let result = sf_close(handle)
        if result != 0 {
            throw AudioFileError(.finish, path: path, message: String(cString: sf_error_number(result)), systemError: errno)
        }
    }

    // MARK: Messages

    private var message: String {
        guard let handle else { return "the file is closed" }
        return Self.clean(String(cString: sf_strerror(handle)))
    }

    private static func globalMessage() -> String {
        clean(String(cString: sf_strerror(nil)))
    }

    /// libsndfile's messages end with a period and sometimes a newline; keep them tidy.
    private static func clean(_ text: String) -> String {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("System error : ") { text.removeFirst("System error : ".count) }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
