/// What a library site is made from and how (`cadence site`'s command line).
public struct SiteSettings: Sendable {
    /// The folder of routines (every `*.yaml` and `*.yml` in it) and the site's folder.
    public var routinesFolder: String
    public var siteFolder: String
    /// The site's name: the index's heading and the feed's title.
    public var title: String
    public var address: SiteAddress
    /// How the MP3 tracks are rendered, and the Opus ones when there are any.
    public var mp3: RenderOptions
    public var opus: RenderOptions?
    /// Routines rendered at once, and whether to render the tracks that are up to date.
    public var jobs: Int
    public var force: Bool
    /// The time (seconds since 1970) a track rendered with new content by this run is published at.
    public var now: Int64

    public init(
        routinesFolder: String, siteFolder: String, title: String, address: SiteAddress, mp3: RenderOptions,
        opus: RenderOptions?, jobs: Int, force: Bool, now: Int64
    ) {
        self.routinesFolder = routinesFolder
        self.siteFolder = siteFolder
        self.title = title
        self.address = address
        self.mp3 = mp3
        self.opus = opus
        self.jobs = jobs
        self.force = force
        self.now = now
    }

    /// The options of a site's tracks from those of a render: MP3 as the player page's audio is
    /// (mono unless there is music, or `channels` when given; 44.1 kHz unless `sampleRate` is
    /// given), and Opus alike at the MP3's rate when Opus can store it, else at 48 kHz.
    public static func trackOptions(
        from options: RenderOptions, channels: Int?, sampleRate: Int?,
        opus: Bool
    ) -> (mp3: RenderOptions, opus: RenderOptions?) {
        var mp3 = PlayerAudio.options(for: options)
        mp3.sampleRate = sampleRate ?? 44_100
        if let channels { mp3.channels = channels }
        guard opus else { return (mp3, nil) }
        var encoded = mp3
        encoded.format = .opus
        if !(AudioFormat.opus.allowedSampleRates ?? []).contains(mp3.sampleRate) { encoded.sampleRate = 48_000 }
        return (mp3, encoded)
    }
}
