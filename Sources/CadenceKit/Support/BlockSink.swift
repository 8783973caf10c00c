import Foundation

/// Blocks of samples handed to a thread of its own, which works on them in the order they were
/// sent while the sender goes on: a bounded ring of `depth` buffers between one sender and one
/// consumer. `finish` waits until every block sent has been consumed; dropping the sink without
/// it stops the consumer after the block it is on.
final class BlockSink {
    /// What the consumer thread does with each block.
    typealias Consume = (UnsafeBufferPointer<Float>) -> Void

    private let ring: Ring

    init(name: String, depth: Int, blockSamples: Int, consume: @escaping Consume) {
        ring = Ring(depth: depth, blockSamples: blockSamples)
        let ring = self.ring
        let consumer = Consumer(consume: consume)
        let thread = Thread { ring.run(consumer.consume) }
        thread.name = name
        thread.start()
    }

    deinit {
        ring.stop(draining: false)
    }

    /// Copies `samples` (at most `blockSamples`) into the next free slot, waiting for one if need be.
    func send(_ samples: UnsafeBufferPointer<Float>) {
        ring.send(samples)
    }

    /// Waits until every block sent has been consumed and the thread has ended.
    func finish() {
        ring.stop(draining: true)
    }

    /// The consumer's closure moves to its thread, which alone calls it from then on.
    private final class Consumer: @unchecked Sendable {
        let consume: Consume
        init(consume: @escaping Consume) { self.consume = consume }
    }

    /// The slots and their bookkeeping, shared by the two threads; the counters are guarded by
    /// `condition`, and a slot's samples belong to the sender until it is published and to the
    /// consumer until it is consumed.
    private final class Ring: @unchecked Sendable {
        private let condition = NSCondition()
        private let samples: UnsafeMutablePointer<Float>
        private var counts: [Int]
        private var sent = 0
        private var consumed = 0
        private var closing = false
        private var draining = true
        private var running = true
        private var senderWaiting = false
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

        func send(_ block: UnsafeBufferPointer<Float>) {
            precondition(block.count <= blockSamples, "a block larger than the sink's slots")
            condition.lock()
            if sent - consumed == depth {
                senderWaiting = true
                while sent - consumed > depth / 2 { condition.wait() }
                senderWaiting = false
            }
            let slot = sent % depth
            condition.unlock()
            if let base = block.baseAddress { (samples + slot * blockSamples).update(from: base, count: block.count) }
            condition.lock()
            counts[slot] = block.count
            sent += 1
            if consumerWaiting { condition.broadcast() }
            condition.unlock()
        }

        func run(_ consume: Consume) {
            while true {
                condition.lock()
                if sent == consumed, !closing {
                    consumerWaiting = true
                    while sent == consumed, !closing { condition.wait() }
                    consumerWaiting = false
                }
                if sent == consumed || (closing && !draining) {
                    running = false
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                let slot = consumed % depth
                let count = counts[slot]
                condition.unlock()
                consume(UnsafeBufferPointer(start: samples + slot * blockSamples, count: count))
                condition.lock()
                consumed += 1
                if senderWaiting, sent - consumed <= depth / 2 { condition.broadcast() }
                condition.unlock()
            }
        }

        func stop(draining: Bool) {
            condition.lock()
            if running {
                closing = true
                self.draining = draining
                condition.broadcast()
                while running { condition.wait() }
            }
            condition.unlock()
        }
    }
}
