/// The built-in sound pack: soft, rounded tones that stay distinct from each other and from
/// music. Each sound starts at full speed (no silent lead-in) and ends with a fade.
enum DefaultSounds {
    /// A mellow tone: a strong fundamental and two quiet harmonics, like a soft mallet.
    private static func mallet(decay: Double) -> [ToneDesign.Partial] {
        [
            .init(ratio: 1, amplitude: 1, decay: decay),
            .init(ratio: 2, amplitude: 0.22, decay: decay * 0.5),
            .init(ratio: 3, amplitude: 0.06, decay: decay * 0.3),
        ]
    }

    /// A bell: inharmonic partials that decay at different speeds.
    private static func bell(decay: Double) -> [ToneDesign.Partial] {
        [
            .init(ratio: 0.5, amplitude: 0.30, decay: decay * 1.3),
            .init(ratio: 1, amplitude: 1, decay: decay),
            .init(ratio: 1.19, amplitude: 0.28, decay: decay * 0.7),
            .init(ratio: 1.5, amplitude: 0.22, decay: decay * 0.6),
            .init(ratio: 2, amplitude: 0.35, decay: decay * 0.5),
            .init(ratio: 2.74, amplitude: 0.12, decay: decay * 0.35),
            .init(ratio: 3.76, amplitude: 0.06, decay: decay * 0.25),
        ]
    }

    /// A small chime: bright, short, slightly inharmonic.
    private static func chime(decay: Double) -> [ToneDesign.Partial] {
        [
            .init(ratio: 1, amplitude: 1, decay: decay),
            .init(ratio: 2.0, amplitude: 0.3, decay: decay * 0.6),
            .init(ratio: 2.76, amplitude: 0.18, decay: decay * 0.4),
            .init(ratio: 5.4, amplitude: 0.05, decay: decay * 0.2),
        ]
    }

    /// A wooden tap: a strong partial and a quiet inharmonic one, both gone within a few hundredths of a second.
    private static func woodblock(decay: Double) -> [ToneDesign.Partial] {
        [
            .init(ratio: 1, amplitude: 1, decay: decay),
            .init(ratio: 2.57, amplitude: 0.18, decay: decay * 0.4),
        ]
    }

    static func design(_ sound: CueSound) -> ToneDesign {
        switch sound {
        case .go:
            // Rising fourth, A5 to D6: "off you go".
            return ToneDesign(
                notes: [
                    .init(offset: 0, frequency: 880, partials: mallet(decay: 0.12), length: 0.16, release: 0.05),
                    .init(offset: 0.12, frequency: 1174.66, partials: mallet(decay: 0.22), length: 0.38, release: 0.12),
                ], peak: 0.45)
        case .countdown:
            // A short, quiet pip on G5.
            return ToneDesign(
                notes: [
                    .init(offset: 0, frequency: 783.99, partials: mallet(decay: 0.08), length: 0.12, release: 0.04)
                ], peak: 0.30)
        case .countdownLast:
            // The last pip: higher (C6) and a little longer, so "one" is unmistakable.
            return ToneDesign(
                notes: [
                    .init(offset: 0, frequency: 1046.5, partials: mallet(decay: 0.12), length: 0.2, release: 0.07)
                ], peak: 0.36)
        case .stop:
            // Falling fifth, E5 to A4: "and rest".
            return ToneDesign(
                notes: [
                    .init(offset: 0, frequency: 659.26, partials: mallet(decay: 0.14), length: 0.18, release: 0.05),
                    .init(offset: 0.14, frequency: 440, partials: mallet(decay: 0.3), length: 0.5, release: 0.15),
                ], peak: 0.42)
        case .switchSides:
            // Two chime strikes, D6 then G6: "other side".
            return ToneDesign(
                notes: [
                    .init(offset: 0, frequency: 1174.66, partials: chime(decay: 0.35), length: 0.3, release: 0.1),
                    .init(offset: 0.16, frequency: 1567.98, partials: chime(decay: 0.4), length: 0.8, release: 0.3),
                ], peak: 0.34)
        case .finish:
            // A bell on C5 that rings out.
            return ToneDesign(
                notes: [
                    .init(offset: 0, frequency: 523.25, partials: bell(decay: 1.1), attack: 0.005, length: 4.0, release: 1.2)
                ], peak: 0.42)
        case .halfway:
            // Two soft taps on E6, the second overlapping the first's decay.
            return ToneDesign(
                notes: [
                    .init(offset: 0, frequency: 1318.51, partials: mallet(decay: 0.05), length: 0.1, release: 0.04),
                    .init(offset: 0.09, frequency: 1318.51, partials: mallet(decay: 0.07), length: 0.16, release: 0.07),
                ], peak: 0.22)
        case .announce:
            // A gentle upward call, C5 then G5, heard when no voice speaks.
            return ToneDesign(
                notes: [
                    .init(offset: 0, frequency: 523.25, partials: mallet(decay: 0.18), length: 0.2, release: 0.06),
                    .init(offset: 0.15, frequency: 783.99, partials: mallet(decay: 0.25), length: 0.45, release: 0.15),
                ], peak: 0.28)
        case .phase:
            // One soft wooden tick on B5, over in 80 ms: "next phase", without the weight of a go.
            return ToneDesign(
                notes: [
                    .init(offset: 0, frequency: 987.77, partials: woodblock(decay: 0.025), attack: 0.005, length: 0.08, release: 0.04)
                ], peak: 0.2)
        case .pulse:
            // A low, round beat on A3 with a slow attack, like a soft heartbeat: it keeps time without asking for anything.
            return ToneDesign(
                notes: [
                    .init(offset: 0, frequency: 220, partials: mallet(decay: 0.1), attack: 0.02, length: 0.28, release: 0.12)
                ], peak: 0.16)
        }
    }
}
