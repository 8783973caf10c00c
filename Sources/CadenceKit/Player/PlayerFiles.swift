/// Writes the player's files atomically (through a temporary file and a rename, as the timeline
/// file is written): a reader never sees half of one, and a failure leaves the old file as it was.
public enum PlayerFiles {
    /// Writes `TimelineSVG.svg(timeline)` to `path`.
    public static func writeSVG(_ timeline: Timeline, to path: String) throws {
        try AtomicFile.write(TimelineSVG.svg(timeline), to: path)
    }

    /// Writes `PlayerPage.html(timeline:audio:audioMimeType:)` to `path`.
    public static func writeHTML(_ timeline: Timeline, audio: [UInt8], audioMimeType: String, to path: String) throws {
        try AtomicFile.write(PlayerPage.html(timeline: timeline, audio: audio, audioMimeType: audioMimeType), to: path)
    }
}
