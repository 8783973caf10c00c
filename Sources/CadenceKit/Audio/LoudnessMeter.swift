internal import CEbur128

/// EBU R 128 loudness and true peak with libebur128, in one place.
final class LoudnessMeter {
    private var state: UnsafeMutablePointer<ebur128_state>?
    let channels: Int

    /// libebur128 measures 1 to 64 channels at 16 Hz to 2.8 MHz; audio outside that is refused
    /// (as an `InputError`) before a meter is made, so nil here only means it could not allocate.
    /// - Parameter truePeak: also measure the true peak (4× oversampled, which costs far more).
    init?(channels: Int, sampleRate: Int, truePeak: Bool = false) {
        self.channels = channels
        let mode = Int32(EBUR128_MODE_I.rawValue | (truePeak ? EBUR128_MODE_TRUE_PEAK.rawValue : 0))
        guard (1...64).contains(channels), sampleRate >= 16, sampleRate <= 2_822_400,
            let state = ebur128_init(UInt32(channels), UInt(sampleRate), mode)
        else { return nil }
        self.state = state
    }

    deinit {
        ebur128_destroy(&state)
    }

    /// Adds `frameCount` interleaved frames.
    func add(_ samples: UnsafePointer<Float>, frameCount: Int) {
        guard frameCount > 0 else { return }
        _ = ebur128_add_frames_float(state, samples, frameCount)
    }

    /// Integrated loudness in LUFS; -infinity for silence or audio shorter than 400 ms.
    var integratedLoudness: Double {
        var value = -Double.infinity
        guard ebur128_loudness_global(state, &value) == 0 else { return -.infinity }
        return value
    }

    /// The highest true peak of any channel, as a linear amplitude (1.0 = full scale); needs `truePeak`.
    var truePeak: Double {
        var highest = 0.0
        for channel in 0..<channels {
            var value = 0.0
            if ebur128_true_peak(state, UInt32(channel), &value) == 0 { highest = max(highest, value) }
        }
        return highest
    }
}
