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
        let ring = self.ring
        let producer = Producer(fill: fill)
        let thread = Thread { ring.produce(producer.fill) }
        thread.name = name
        thread.start()
    }

    deinit {
        ring.cancel()
    }

    /// Hands the next block to `body`, or returns nil at the end of the stream; throws the
    /// producer's failure once the blocks made before it are taken.
    func take<Result>(_ body: (UnsafeBufferPointer<Float>) throws -> Result) throws -> Result? {
        try ring.take(body)
    }

    /// The producer's closure moves to its thread, which alone calls it from then on.
    private final class Producer: @unchecked Sendable {
        let fill: Fill
        init(fill: @escaping Fill) { self.fill = fill }
    }

    /// The slots and their bookkeeping, shared by the two threads; the counters are guarded by
    /// `condition`, and a slot's samples belong to the producer until it is published and to the
    /// consumer until it is taken, so they are read and written without the lock.
    private final class Ring: @unchecked Sendable {
        private let condition = NSCondition()
        private let samples: UnsafeMutablePointer<Float>
        private var counts: [Int]
        private var produced = 0
        private var consumed = 0
        private var failure: (any Error)?
        private var ended = false
        private var cancelled = false
        private var running = true
        /// Who is waiting, so that the other side wakes it only when it can go on.
        private var producerWaiting = false
        private var consumerWaiting = false
        let depth: Int
        let blockSamples: Int

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

        func produce(_ fill: Fill) {
            while true {
                condition.lock()
                // When the ring is full, wait until half of it is free: the two threads then hand
                // over several blocks per wake-up instead of one.
                if produced - consumed == depth {
                    producerWaiting = true
                    while produced - consumed > depth / 2, !cancelled { condition.wait() }
                    producerWaiting = false
                }
                let stop = cancelled
                let slot = produced % depth
                condition.unlock()
                if stop { return finish(failure: nil) }
                let count: Int
                do {
                    count = try fill(samples + slot * blockSamples, blockSamples)
                } catch {
                    return finish(failure: error)
                }
                if count == 0 { return finish(failure: nil) }
                condition.lock()
                counts[slot] = count
                produced += 1
                if consumerWaiting { condition.broadcast() }
                condition.unlock()
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
            if consumed == produced, !ended {
                consumerWaiting = true
                while consumed == produced, !ended { condition.wait() }
                consumerWaiting = false
            }
            if consumed == produced {
                let failure = self.failure
                condition.unlock()
                if let failure { throw failure }
                return nil
            }
            let slot = consumed % depth
            let count = counts[slot]
            condition.unlock()
            defer {
                condition.lock()
                consumed += 1
                if producerWaiting, produced - consumed <= depth / 2 { condition.broadcast() }
                condition.unlock()
            }
            return try body(UnsafeBufferPointer(start: samples + slot * blockSamples, count: count))
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
