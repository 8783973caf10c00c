internal import CSamplerate

/// Sample-rate conversion with libsamplerate, in one place.
enum Resampler {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// libsamplerate's sinc converters: both keep 97 dB of signal to noise; `best` passes 96 % of
    /// the band below the lower rate's Nyquist frequency, `medium` 90 % at about a third of the cost.
    enum Quality {
        case best, medium

        var converter: Int32 {
            switch self {
            case .best: return Int32(SRC_SINC_BEST_QUALITY)
            case .medium: return Int32(SRC_SINC_MEDIUM_QUALITY)
            }
        }
    }

    /// `samples` (interleaved, `channels` wide) converted from `sourceRate` to `targetRate`
    /// with libsamplerate's best (or `quality`) sinc converter.
    static func resample(
        _ samples: [Float], channels: Int, from sourceRate: Int, to targetRate: Int,
        quality: Quality = .best
    ) throws(Failure) -> [Float] {
        guard sourceRate != targetRate, !samples.isEmpty else { return samples }
        let ratio = Double(targetRate) / Double(sourceRate)
        let inputFrames = samples.count / channels
        let outputFrames = Int((Double(inputFrames) * ratio).rounded(.up)) + 16
        var output = [Float](repeating: 0, count: outputFrames * channels)
        var generated = 0
        let error: Int32 = samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                var data = SRC_DATA()
                data.data_in = input.baseAddress
                data.input_frames = inputFrames
                data.data_out = out.baseAddress
                data.output_frames = outputFrames
                data.src_ratio = ratio
                data.end_of_input = 1
                let result = src_simple(&data, quality.converter, Int32(channels))
                generated = Int(data.output_frames_gen)
                return result
            }
        }
        guard error == 0 else { throw Failure(description: String(cString: src_strerror(error))) }
        return Array(output.prefix(generated * channels))
    }
}
