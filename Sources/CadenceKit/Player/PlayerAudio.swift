/// The audio the player page embeds: the same session rendered again as a compact MP3 (mono unless
/// there is music; at the track's rate when MP3 can store it, else 44.1 kHz).
public enum PlayerAudio {
    /// The options of the page's audio for a track rendered with `track`.
    public static func options(for track: RenderOptions) -> RenderOptions {
        var options = track
        options.format = .mp3
        options.bitDepth = .pcm16
        options.quality = nil
        if track.music.isEmpty { options.channels = 1 }
        if !(AudioFormat.mp3.allowedSampleRates ?? []).contains(track.sampleRate) { options.sampleRate = 44_100 }
        return options
    }

    /// The whole page for `routine`, whose track was scheduled as `timeline` and rendered with
    /// `options` (its resources reused when the page's rate is the track's). The audio is made in a
    /// scratch file in `scratchFolder` (the page's own folder), gone once it is read.
    public static func page(
        for routine: Routine, timeline: Timeline, options: RenderOptions, resources: RenderResources?,
        scratchFolder: String, shouldStop: () -> Bool
    ) throws -> String {
        let pageOptions = Self.options(for: options)
        let sameRate = pageOptions.sampleRate == timeline.sampleRate
        let pageTimeline =
            sameRate
            ? timeline
            : Scheduler.schedule(
                routine, sampleRate: pageOptions.sampleRate, level: options.level,
                day: timeline.day ?? 1, lengthenedTransitions: timeline.lengthenedTransitions)
        // The sound bank and music measurements hold for the track's rate only.
        let pageResources = sameRate ? resources.map { RenderResources(sharing: $0, options: pageOptions) } : nil
        let audio = try TrackRenderer.renderBytes(
            pageTimeline, options: pageOptions, resources: pageResources,
            scratchFolder: scratchFolder, shouldStop: shouldStop)
        return PlayerPage.html(timeline: pageTimeline, audio: audio, audioMimeType: PlayerPage.mimeType(for: .mp3))
    }
}
