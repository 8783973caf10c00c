import Foundation

/// The ring of `BlockPipe` and `BlockSink`: `depth` slots of `blockSamples` samples between a
/// thread that writes blocks and one that reads them, in the order they were written. The
/// counters are guarded by `condition`; a slot's samples belong to the writer until it is
/// published and to the reader until it is released, so they are read and written without the
/// lock. When the ring is full the writer waits until half of it is free: the two threads then
/// hand over several blocks per wake-up instead of one. Each side wakes the other only when it is
/// waiting and can go on.
class BlockRing: @unchecked Sendable {
    let condition = NSCondition()
    let depth: Int
    let blockSamples: Int
    private let samples: UnsafeMutablePointer<Float>
    private var counts: [Int]
    /// Blocks published by the writer, and released by the reader (guarded by `condition`).
    private(set) var written = 0
    private(set) var read = 0
    private var writerWaiting = false
    private var readerWaiting = false

    init(depth: Int, blockSamples: Int) {
        self.depth = depth
        self.blockSamples = blockSamples
        samples = .allocate(capacity: depth * blockSamples)
        samples.initialize(repeating: 0, count: depth * blockSamples)
        counts = [Int](repeating: 0, count: depth)
    }

    deinit {
        samples.deallocate()
    }

    /// Starts the thread on the other side of the ring, named `name`, running `body`.
    static func startThread(named name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }

    /// The samples of `slot`.
    func slot(_ slot: Int) -> UnsafeMutablePointer<Float> { samples + slot * blockSamples }

    /// With `condition` locked: when the ring is full, waits until half of it is free or `stop()`
    /// holds. Returns the slot the next block goes in.
    func waitForRoom(unless stop: () -> Bool) -> Int {
        if written - read == depth {
            writerWaiting = true
            while written - read > depth / 2, !stop() { condition.wait() }
            writerWaiting = false
        }
        return written % depth
    }

    /// Publishes the `count` samples written into `slot` (takes the lock).
    func publish(_ slot: Int, count: Int) {
        condition.lock()
        counts[slot] = count
        written += 1
        if readerWaiting { condition.broadcast() }
        condition.unlock()
    }

    /// With `condition` locked: when no block is waiting, waits for one unless `end()` holds.
    /// Returns the next block, or nil when there is none (`end()` held).
    func waitForBlock(unless end: () -> Bool) -> UnsafeBufferPointer<Float>? {
        if read == written, !end() {
            readerWaiting = true
            while read == written, !end() { condition.wait() }
            readerWaiting = false
        }
        guard read != written else { return nil }
        let slot = read % depth
        return UnsafeBufferPointer(start: self.slot(slot), count: counts[slot])
    }

    /// Releases the block the reader took, so its slot can be written again (takes the lock).
    func release() {
        condition.lock()
        read += 1
        if writerWaiting, written - read <= depth / 2 { condition.broadcast() }
        condition.unlock()
    }
}

/// A value handed to another thread, which alone uses it from then on.
final class HandedOver<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
