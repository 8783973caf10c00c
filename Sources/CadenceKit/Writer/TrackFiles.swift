/// The files written beside a track: the timeline JSON and the Audacity labels.
public enum TrackFiles {
    public static func writeTimeline(_ timeline: Timeline, to path: String) throws {
        try AtomicFile.write(TimelineJSON.encode(timeline), to: path)
    }

    public static func writeLabels(_ timeline: Timeline, to path: String) throws {
        try AtomicFile.write(LabelTrack.encode(timeline), to: path)
    }
}
