/// Sample-rate conversion of a stream of interleaved frames (1 or 2 channels) with a shared
/// `PolyphaseFilter`: each output frame is one dot product per channel, computed eight lanes at a
/// time, with no per-sample calls. It keeps only the input frames the filter still needs, so a long
/// file is converted in constant memory, and it makes exactly ⌈input · up / down⌉ frames with no delay.
final class PolyphaseResampler {
    let channels: Int
    private let filter: PolyphaseFilter
    /// The filter's coefficients padded to a multiple of 8 taps and, for stereo, each repeated for
    /// both channels, so a phase's row lines up with the interleaved input.
    private let rows: [Float]
    private let rowLength: Int
    private let paddedTaps: Int
    /// Input frames from absolute frame `bufferStart` on (frames before 0 are silence).
    private var buffer: [Float]
    private var bufferCount = 0
    private var bufferStart: Int
    private let capacity: Int
    /// The next output frame's input position: whole frame and phase (in 1/up of a frame).
    private var whole = 0
    private var phase = 0
    private var made = 0
    private var inputTotal = 0
    /// The output's length once the end of the input is known.
    private var outputTotal: Int?

    init(filter: PolyphaseFilter, channels: Int) {
        precondition(channels == 1 || channels == 2, "the resampler takes 1 or 2 channels")
        self.filter = filter
        self.channels = channels
        paddedTaps = (filter.taps + 7) / 8 * 8
        rowLength = paddedTaps * channels
        var rows = [Float](repeating: 0, count: filter.up * rowLength)
        for phase in 0..<filter.up {
            for tap in 0..<filter.taps {
                for channel in 0..<channels {
                    rows[phase * rowLength + tap * channels + channel] = filter.coefficients[phase * filter.taps + tap]
                }
            }
        }
        self.rows = rows
        capacity = 4_096 + paddedTaps
        buffer = [Float](repeating: 0, count: (capacity + paddedTaps) * channels)
        // Silence before the first frame, for the first outputs' left half of the kernel.
        bufferStart = -(filter.taps / 2 - 1)
        bufferCount = filter.taps / 2 - 1
    }

    /// Converts up to `inputFrames` frames of `input` into `output` (room for `outputFrames`).
    /// Returns how many input frames were used and how many output frames were made; with
    /// `endOfInput`, the input given is the last and the output is finished.
    func process(
        _ input: UnsafePointer<Float>, inputFrames: Int, into output: UnsafeMutablePointer<Float>,
        outputFrames: Int, endOfInput: Bool
    ) -> (used: Int, made: Int) {
        let channels = self.channels
        let taps = filter.taps
        // Drop the frames no output needs any more.
        let firstNeeded = whole - (taps / 2 - 1)
        let drop = min(bufferCount, max(0, firstNeeded - bufferStart))
        if drop > 0 {
            buffer.withUnsafeMutableBufferPointer { frames in
                let base = frames.baseAddress!
                base.update(from: base + drop * channels, count: (bufferCount - drop) * channels)
            }
            bufferCount -= drop
            bufferStart += drop
        }
        let used = min(inputFrames, capacity - bufferCount)
        if used > 0 {
            buffer.withUnsafeMutableBufferPointer { frames in
                (frames.baseAddress! + bufferCount * channels).update(from: input, count: used * channels)
            }
            bufferCount += used
            inputTotal += used
        }
        if endOfInput, used == inputFrames, outputTotal == nil {
            // The end: silence after the last frame for the last outputs' right half of the kernel.
            let padding = paddedTaps
            buffer.withUnsafeMutableBufferPointer { frames in
                (frames.baseAddress! + bufferCount * channels).update(repeating: 0, count: padding * channels)
            }
            bufferCount += padding
            outputTotal = (inputTotal * filter.up + filter.down - 1) / filter.down
        }
        let up = filter.up
        let stepWhole = filter.down / up, stepPhase = filter.down % up
        let rowLength = self.rowLength, paddedTaps = self.paddedTaps
        let limit = outputTotal.map { min(outputFrames, $0 - made) } ?? outputFrames
        var count = 0
        var whole = self.whole, phase = self.phase
        let available = bufferStart + bufferCount
        let leftHalf = taps / 2 - 1
        buffer.withUnsafeBufferPointer { frames in
            rows.withUnsafeBufferPointer { table in
                let samples = UnsafeRawPointer(frames.baseAddress!)
                let coefficients = UnsafeRawPointer(table.baseAddress!)
                // Output needs input frames up to whole + taps/2 (the kernel's padded right end too).
                while count < limit, whole - leftHalf + paddedTaps <= available {
                    let first = (whole - leftHalf - bufferStart) * channels * 4
                    let row = phase * rowLength * 4
                    var sumA = SIMD8<Float>(), sumB = SIMD8<Float>()
                    var lane = 0
                    while lane + 16 <= rowLength {
                        sumA +=
                            coefficients.loadUnaligned(fromByteOffset: row + lane * 4, as: SIMD8<Float>.self)
                            * samples.loadUnaligned(fromByteOffset: first + lane * 4, as: SIMD8<Float>.self)
                        sumB +=
                            coefficients.loadUnaligned(fromByteOffset: row + lane * 4 + 32, as: SIMD8<Float>.self)
                            * samples.loadUnaligned(fromByteOffset: first + lane * 4 + 32, as: SIMD8<Float>.self)
                        lane += 16
                    }
                    if lane < rowLength {
                        sumA +=
                            coefficients.loadUnaligned(fromByteOffset: row + lane * 4, as: SIMD8<Float>.self)
                            * samples.loadUnaligned(fromByteOffset: first + lane * 4, as: SIMD8<Float>.self)
                    }
                    let sum = sumA + sumB
                    if channels == 2 {
                        output[count * 2] = (sum[0] + sum[2]) + (sum[4] + sum[6])
                        output[count * 2 + 1] = (sum[1] + sum[3]) + (sum[5] + sum[7])
                    } else {
                        output[count] = sum.sum()
                    }
                    count += 1
                    whole += stepWhole
                    phase += stepPhase
                    if phase >= up {
                        phase -= up
                        whole += 1
                    }
                }
            }
        }
        self.whole = whole
        self.phase = phase
        made += count
        return (used, count)
    }
}
