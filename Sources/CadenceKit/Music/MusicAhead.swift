/// The music bed rendered on a thread of its own, a few blocks ahead of the mix: the playlist's
/// resampling, crossfades and gains run on one core while the other mixes, measures and writes
/// (and each open file is decoded on a thread of its own: see `MusicDecoder`). The blocks are
/// exactly what `MusicPlaylist.render` makes, in the same order, so the track's bytes do not depend
/// on the timing; a failure while decoding is thrown for the block it broke.
final class MusicAhead {
    /// Slots of the ring between the threads, and mix blocks per slot (fewer hand-overs).
    static let depth = 4
    static let blocksPerSlot = 4

    private let pipe: BlockPipe
    let channels: Int
    /// The slot being served, block by block.
    private var slot: [Float]
    private var slotCount = 0
    private var slotPosition = 0

    /// - Parameters:
    ///   - blockFrames: the length of every block but the last (which ends at `totalFrames`).
    init(playlist: MusicPlaylist, channels: Int, blockFrames: Int, totalFrames: Int64) {
        self.channels = channels
        slot = [Float](repeating: 0, count: Self.blocksPerSlot * blockFrames * channels)
        var start: Int64 = 0
        pipe = BlockPipe(name: "cadence music", depth: Self.depth, blockSamples: Self.blocksPerSlot * blockFrames * channels) { buffer, _ in
            var made = 0
            for _ in 0..<Self.blocksPerSlot {
                let count = Int(min(Int64(blockFrames), totalFrames - start))
                guard count > 0 else { break }
                try playlist.render(into: buffer + made, frameCount: count)
                start += Int64(count)
                made += count * channels
            }
            return made
        }
    }

    /// Copies the next block (`frameCount` frames, as the mix asks for them) into `output`.
    func render(into output: UnsafeMutablePointer<Float>, frameCount: Int) throws {
        let wanted = frameCount * channels
        if slotPosition == slotCount {
            slotPosition = 0
            slotCount =
                try pipe.take { block in
                    slot.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: block.baseAddress!, count: block.count) }
                    return block.count
                } ?? 0
        }
        guard slotCount - slotPosition >= wanted else {
            // Asked past the end of what the music thread makes (the mix does not do this).
            output.update(repeating: 0, count: wanted)
            return
        }
        slot.withUnsafeBufferPointer { output.update(from: $0.baseAddress! + slotPosition, count: wanted) }
        slotPosition += wanted
    }
}
