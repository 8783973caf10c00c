import Foundation

/// Blocks of samples made on a thread of its own, a few ahead of whoever takes them: a bounded
/// ring of `depth` buffers between one producer and one consumer. The producer's blocks arrive in
/// the order it made them, so what the consumer reads does not depend on the timing. A failure of
/// the producer is thrown by the `take` that would have got the block it broke; dropping the pipe
/// stops the producer and waits for its thread to end.
final class BlockPipe {
    /// Fills the buffer (room for `blockSamples`) and returns how many samples it made; 0 ends the stream.
    typealias Fill = (UnsafeMutablePointer<Float>, Int) throws -> Int

    private let ring: Ring

    /// Starts the producer thread, which calls `fill` block after block.
    init(name: String, depth: Int, blockSamples: Int, fill: @escaping Fill) {
        ring = Ring(depth: depth, blockSamples: blockSamples)
        let ring = self.ring, fill = HandedOver(fill)
        BlockRing.startThread(named: name) { ring.produce(fill.value) }
    }

    deinit {
        ring.cancel()
    }

    /// Hands the next block to `body`, or returns nil at the end of the stream; throws the
    /// producer's failure once the blocks made before it are taken.
    func take<Result>(_ body: (UnsafeBufferPointer<Float>) throws -> Result) throws -> Result? {
        try ring.take(body)
    }

    /// The producer's side of the ring and how the stream ends (guarded by `condition`).
    private final class Ring: BlockRing, @unchecked Sendable {
        private var failure: (any Error)?
        private var ended = false
        private var cancelled = false
        private var running = true

        func produce(_ fill: Fill) {
            while true {
                condition.lock()
                let slot = waitForRoom(unless: { cancelled })
                let stop = cancelled
                condition.unlock()
                if stop { return finish(failure: nil) }
                let count: Int
                do {
                    count = try fill(self.slot(slot), blockSamples)
                } catch {
                    return finish(failure: error)
                }
                if count == 0 { return finish(failure: nil) }
                publish(slot, count: count)
            }
        }

        private func finish(failure: (any Error)?) {
            condition.lock()
            self.failure = failure
            ended = true
            running = false
            condition.broadcast()
            condition.unlock()
        }

        func take<Result>(_ body: (UnsafeBufferPointer<Float>) throws -> Result) throws -> Result? {
            condition.lock()
            guard let block = waitForBlock(unless: { ended }) else {
                let failure = self.failure
                condition.unlock()
                if let failure { throw failure }
                return nil
            }
            condition.unlock()
            defer { release() }
            return try body(block)
        }

        /// Stops the producer (after the block it is making) and waits for its thread to end.
        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            while running { condition.wait() }
            condition.unlock()
        }
    }
}
