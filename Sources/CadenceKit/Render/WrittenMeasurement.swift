/// The measurement of a track with music as it is written: its integrated loudness (Cadence's
/// K-weighted meter) and its true peak, taken on a thread of their own from copies of the written
/// blocks, so that measuring costs the writing thread a copy per block.
final class WrittenMeasurement {
    private let sink: BlockSink
    private let state: State

    /// What the measuring thread updates; read only after `finish`.
    private final class State: @unchecked Sendable {
        var meter: KWeightedEnergy
        var peaks: TruePeakEstimator

        init(meter: KWeightedEnergy, peaks: TruePeakEstimator) {
            self.meter = meter
            self.peaks = peaks
        }
    }

    init(channels: Int, sampleRate: Int, blockFrames: Int, truePeakThreshold: Float) {
        let state = State(
            meter: KWeightedEnergy(
                channels: channels, sampleRate: sampleRate,
                chunkFrames: LoudnessGate.stepFrames(sampleRate: sampleRate)),
            peaks: TruePeakEstimator(channels: channels, threshold: truePeakThreshold))
        self.state = state
        sink = BlockSink(name: "cadence measure", depth: 8, blockSamples: blockFrames * channels) { block in
            let frames = block.count / channels
            state.meter.add(block.baseAddress!, frameCount: frames)
            state.peaks.add(block.baseAddress!, frameCount: frames)
        }
    }

    /// Hands over a written block (interleaved, the track's channels).
    func add(_ samples: UnsafeBufferPointer<Float>) {
        sink.send(samples)
    }

    /// Waits for the measuring thread and returns the loudness (LUFS) and the true peak (linear).
    func finish() -> (loudness: Double, truePeak: Float) {
        sink.finish()
        state.peaks.finish()
        return (TrackRenderer.loudness(state.meter), state.peaks.peak)
    }
}
