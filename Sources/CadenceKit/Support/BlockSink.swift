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
        let ring = self.ring, consume = HandedOver(consume)
        BlockRing.startThread(named: name) { ring.run(consume.value) }
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

    /// The sender's side of the ring and how the consumer stops (guarded by `condition`).
    private final class Ring: BlockRing, @unchecked Sendable {
        private var closing = false
        private var draining = true
        private var running = true

        func send(_ block: UnsafeBufferPointer<Float>) {
            precondition(block.count <= blockSamples, "a block larger than the sink's slots")
            condition.lock()
            let slot = waitForRoom(unless: { false })
            condition.unlock()
            if let base = block.baseAddress { self.slot(slot).update(from: base, count: block.count) }
            publish(slot, count: block.count)
        }

        func run(_ consume: Consume) {
            while true {
                condition.lock()
                guard let block = waitForBlock(unless: { closing }), !(closing && !draining) else {
                    running = false
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                condition.unlock()
                consume(block)
                release()
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
