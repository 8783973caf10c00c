/// The music bed rendered on a thread of its own, a few blocks ahead of the mix: the playlist's
/// resampling, crossfades and gains run on one core while the other mixes, measures and writes
/// (and each open file is decoded on a thread of its own: see `MusicDecoder`). The blocks are
/// exactly what `MusicPlaylist.render` makes, in the same order, so the track's bytes do not depend
/// on the timing; a failure while decoding is thrown for the block it broke.
final class MusicAhead {
    /// Blocks made ahead of the mix.
    static let depth = 4

    private let pipe: BlockPipe
    let channels: Int

    /// - Parameters:
    ///   - blockFrames: the length of every block but the last (which ends at `totalFrames`).
    init(playlist: MusicPlaylist, channels: Int, blockFrames: Int, totalFrames: Int64) {
        self.channels = channels
        var start: Int64 = 0
        pipe = BlockPipe(name: "cadence music", depth: Self.depth, blockSamples: blockFrames * channels) { buffer, _ in
            let count = Int(min(Int64(blockFrames), totalFrames - start))
            guard count > 0 else { return 0 }
            try playlist.render(into: buffer, frameCount: count)
            start += Int64(count)
            return count * channels
        }
    }

    /// Copies the next block (`frameCount` frames) into `output`.
    func render(into output: UnsafeMutablePointer<Float>, frameCount: Int) throws {
        let channels = self.channels
        let taken: Void? = try pipe.take { block in
            precondition(block.count == frameCount * channels, "the mix asks for the blocks the music thread makes")
            output.update(from: block.baseAddress!, count: block.count)
        }
        if taken == nil { output.update(repeating: 0, count: frameCount * channels) }
    }
}
