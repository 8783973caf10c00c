internal import CSndfile
import Foundation

/// An open libsndfile handle. This is the one place libsndfile is called: every failing call
/// becomes an `AudioFileError` naming the operation, the path and libsndfile's message. Its file
/// I/O goes through `SndfileIO` (libsndfile's virtual I/O), so every read and write of an audio
/// file passes the same system-call seam as the rest of Cadence.
final class Sndfile {
    private var handle: OpaquePointer?
    private let io: SndfileIO
    let path: String
    let frames: Int64
    let sampleRate: Int
    let channels: Int

    /// The sample rates and channel counts Cadence reads (what libsamplerate and libebur128 take).
    static let readableRates = 1_000...768_000
    static let readableChannels = 1...64

    private init(handle: OpaquePointer, io: SndfileIO, path: String, info: SF_INFO) {
        self.handle = handle
        self.io = io
        self.path = path
        frames = info.frames
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
    }

    deinit {
        if let handle { sf_close(handle) }
    }

    // MARK: Opening

    /// Opens an audio file of any format libsndfile reads. `kind` names it in messages ("music
    /// file", "sound"). A missing file, one that is not a regular file (a pipe, a device), one
    /// libsndfile cannot read and one with a sample rate or channel count outside what Cadence
    /// handles are refused with an `InputError`.
    static func openForReading(path: String, kind: String) throws(InputError) -> Sndfile {
        let (descriptor, _) = try InputFile.openRegular(path, kind: kind)
        return try open(SndfileIO(descriptor: descriptor, ownsDescriptor: true), path: path, kind: kind)
    }

    /// Opens audio already open at `descriptor` (a scratch file; the caller keeps it open).
    static func open(descriptor: Int32, path: String, kind: String) throws(InputError) -> Sndfile {
        try open(SndfileIO(descriptor: descriptor, ownsDescriptor: false), path: path, kind: kind)
    }

    private static func open(_ io: SndfileIO, path: String, kind: String) throws(InputError) -> Sndfile {
        var info = SF_INFO()
        var callbacks = SndfileIO.callbacks
        guard let handle = sf_open_virtual(&callbacks, Int32(SFM_READ), &info, io.userData) else {
            let reason = io.failure.map { $0.reason } ?? globalMessage()
            throw InputError(path: path, reason: "cannot read this \(kind): \(reason)")
        }
        let file = Sndfile(handle: handle, io: io, path: path, info: info)
        guard readableChannels.contains(Int(info.channels)) else {
            throw InputError(path: path, reason: "this \(kind) has \(info.channels) channels; Cadence reads 1 to 64")
        }
        guard readableRates.contains(Int(info.samplerate)) else {
            throw InputError(path: path, reason: "this \(kind) has a sample rate of \(info.samplerate) Hz; Cadence reads 1000 to 768000 Hz")
        }
        return file
    }

    /// Starts writing a track to the open descriptor `fd` (which the caller closes).
    /// - Parameter quality: for Ogg Vorbis, Opus and MP3, from 0 (smallest file) to 1 (best sound);
    ///   nil gives Cadence's default. WAV and FLAC are lossless and ignore it. See `configureEncoder`.
    static func openForWriting(
        descriptor fd: Int32, path: String, format: AudioFormat, bitDepth: BitDepth,
        sampleRate: Int, channels: Int, largeWAV: Bool, title: String,
        quality: Double? = nil
    ) throws(AudioFileError) -> Sndfile {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = Int32(formatCode(format, bitDepth: bitDepth, largeWAV: largeWAV))
        guard sf_format_check(&info) == SF_TRUE else {
            throw AudioFileError(
                .create, path: path,
                message:
                    "libsndfile cannot write \(format.rawValue) with these settings (\(sampleRate) Hz, \(channels) channels, \(bitDepth.rawValue))"
            )
        }
        let io = SndfileIO(descriptor: fd, ownsDescriptor: false)
        var callbacks = SndfileIO.callbacks
        guard let handle = sf_open_virtual(&callbacks, Int32(SFM_WRITE), &info, io.userData) else {
            throw AudioFileError(.create, path: path, message: globalMessage(), systemError: io.failure?.code)
        }
        let file = Sndfile(handle: handle, io: io, path: path, info: info)
        // libsndfile wraps float overflow around by default; clip instead.
        _ = sf_command(handle, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        // The PEAK chunk carries a time stamp, which would make two renders differ.
        _ = sf_command(handle, Int32(SFC_SET_ADD_PEAK_CHUNK), nil, Int32(SF_FALSE))
        try file.configureEncoder(format, channels: channels, quality: quality)
        // MP3 titles are written by the track writer as a UTF-8 ID3 tag (see TrackMetadata): LAME
        // would store them as Latin-1.
        if format != .mp3, sf_set_string(handle, Int32(SF_STR_TITLE), title) != 0 {
            throw AudioFileError(.configure, path: path, message: "cannot set the title: " + file.message)
        }
        return file
    }

    /// Sets the encoder up before anything is written. `quality` (0 smallest ... 1 best) maps to:
    ///
    /// - Ogg Vorbis: libvorbis's VBR quality, `quality` itself (`oggenc -q` 10 × quality); default
    ///   0.6 (`-q 6`). libsndfile hands `SFC_SET_VBR_ENCODING_QUALITY` q to `vorbis_encode_init_vbr`.
    /// - MP3: LAME VBR at `-V` 10 × (1 − quality), 9.999 at most; default 0.5 (`-V 5`). libsndfile
    ///   turns `SFC_SET_VBR_ENCODING_QUALITY` q into `lame_set_VBR_quality(10 × (1 − q))`, which LAME
    ///   refuses above 9.999, so q is raised to 0.0001 at least;
    ///   `SFC_SET_BITRATE_MODE` variable (already libsndfile's choice for MP3 files) keeps it VBR.
    /// - Opus: VBR with a target of 8 + 120 × quality kbps per channel (16 to 256 kbps in stereo);
    ///   default 96 kbps in stereo and 64 kbps in mono, opusenc's defaults. libsndfile's
    ///   `SFC_SET_COMPRESSION_LEVEL` c sets a target of 6 + 250 × (1 − c) kbps per channel (its VBR
    ///   quality is 1 − c, so the 0.6 Cadence used before asked for 312 kbps in stereo), and libopus
    ///   encodes VBR unless told otherwise.
    /// - FLAC: compression level 0.5 whatever `quality` is (lossless).
    ///
    /// Measured with the defaults (`ffprobe -show_entries format=bit_rate` on `cadence render` of the
    /// built-in routine, 6 min 41 s), cue sounds alone and over a synthetic music bed (chords, bass,
    /// melody and hi-hat noise, mixed with `--music`):
    ///
    /// | format | 44.1 kHz stereo | 44.1 kHz mono | 48 kHz stereo | 48 kHz mono |
    /// |---|---|---|---|---|
    /// | Vorbis, cues | 8 kbps | 6 kbps | 9 kbps | 6 kbps |
    /// | Vorbis, music | 122 kbps | 66 kbps | 126 kbps | 68 kbps |
    /// | MP3, cues | 32 kbps | 32 kbps | 33 kbps | 33 kbps |
    /// | MP3, music | 101 kbps | 57 kbps | 104 kbps | 60 kbps |
    /// | Opus, cues | - | - | 24 kbps | 16 kbps |
    /// | Opus, music | - | - | 97 kbps | 65 kbps |
    ///
    /// Of these rates Opus takes 48 kHz only. An MP3 frame is never below 32 kbps, which sets
    /// the figure for the mostly silent cue track; `-V 5` gives about 130 kbps on real music, whose
    /// spectrum is fuller than the synthetic bed's.
    private func configureEncoder(_ format: AudioFormat, channels: Int, quality: Double?) throws(AudioFileError) {
        precondition(quality.map { (0...1).contains($0) } ?? true, "quality runs from 0 to 1")
        switch format {
        case .wav:
            return
        case .flac:
            _ = command(SFC_SET_COMPRESSION_LEVEL, 0.5)
        case .ogg:
            try require(command(SFC_SET_VBR_ENCODING_QUALITY, quality ?? 0.6), "the Vorbis quality")
        case .mp3:
            try require(command(SFC_SET_VBR_ENCODING_QUALITY, max(0.000_1, quality ?? 0.5)), "the MP3 quality")
            var mode = Int32(SF_BITRATE_MODE_VARIABLE)
            try require(
                sf_command(handle, Int32(SFC_SET_BITRATE_MODE), &mode, Int32(MemoryLayout<Int32>.size)) == SF_TRUE,
                "variable bit rate")
        case .opus:
            let perChannel = quality.map { 8_000 + 120_000 * $0 } ?? (channels == 1 ? 64_000 : 48_000)
            // libsndfile truncates the bit rate it computes: half a bit per second more keeps it whole.
            let level = 1 - (perChannel - 6_000 + 0.5) / 250_000
            try require(command(SFC_SET_COMPRESSION_LEVEL, level), "the Opus bit rate")
        }
    }

    /// Sends a command that takes one double; returns whether libsndfile accepted it.
    private func command<Code: BinaryInteger>(_ code: Code, _ value: Double) -> Bool {
        var value = value
        return sf_command(handle, Int32(code), &value, Int32(MemoryLayout<Double>.size)) == SF_TRUE
    }

    private func require(_ accepted: Bool, _ setting: String) throws(AudioFileError) {
        if !accepted { throw AudioFileError(.configure, path: path, message: "libsndfile refused \(setting): " + message) }
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

    /// The descriptor libsndfile reads or writes (for checks that read the file's bytes themselves).
    var descriptor: Int32 { io.descriptor }

    /// Whether the header gives the length (libsndfile reports an unknown one as SF_COUNT_MAX).
    var hasKnownLength: Bool { frames < Int64.max / 2 }

    /// libsndfile's log of what it found while opening the file.
    var log: String {
        var buffer = [CChar](repeating: 0, count: 8192)
        _ = sf_command(handle, Int32(SFC_GET_LOG_INFO), &buffer, Int32(buffer.count))
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
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
        if count < frameCount, sf_error(handle) != 0 || io.failure != nil {
            throw AudioFileError(.read, path: path, message: io.failure?.reason ?? message, systemError: io.failure?.code)
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
        try checkWritten(sf_writef_float(handle, buffer, Int64(frameCount)), frameCount)
    }

    func write(_ buffer: UnsafePointer<Int16>, frameCount: Int) throws(AudioFileError) {
        try checkWritten(sf_writef_short(handle, buffer, Int64(frameCount)), frameCount)
    }

    func write(_ buffer: UnsafePointer<Int32>, frameCount: Int) throws(AudioFileError) {
        try checkWritten(sf_writef_int(handle, buffer, Int64(frameCount)), frameCount)
    }

    /// A short write is a failure; the system's reason, when the I/O under libsndfile failed, is kept.
    private func checkWritten(_ written: sf_count_t, _ frameCount: Int) throws(AudioFileError) {
        if written != Int64(frameCount) || io.failure != nil {
            throw AudioFileError(.write, path: path, message: io.failure?.reason ?? message, systemError: io.failure?.code)
        }
    }

    /// Finishes the file (headers, encoder flush) and releases the handle.
    func close() throws(AudioFileError) {
        guard let handle else { return }
        self.handle = nil
        let result = sf_close(handle)
        if result != 0 || io.failure != nil {
            throw AudioFileError(
                .finish, path: path, message: io.failure?.reason ?? Self.clean(String(cString: sf_error_number(result))),
                systemError: io.failure?.code)
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
