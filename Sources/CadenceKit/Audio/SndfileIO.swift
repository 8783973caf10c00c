internal import CSndfile
import Foundation

/// libsndfile's file access through Cadence's own system-call seam (`FileSystem`): libsndfile is
/// handed callbacks (its "virtual I/O") that read, write and seek one descriptor. So every byte of
/// an audio file passes the same checks as every other file, EINTR is retried, test faults reach
/// it, and a failure keeps the system's reason (libsndfile's own message can be as vague as
/// "Unspecified internal error").
final class SndfileIO {
    let descriptor: Int32
    private let ownsDescriptor: Bool
    private var position: Int64 = 0
    /// The first failure of a system call, for the error message.
    private(set) var failure: SystemCallError?

    init(descriptor: Int32, ownsDescriptor: Bool) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
    }

    deinit {
        if ownsDescriptor { FileSystem.closeQuietly(descriptor) }
    }

    /// The pointer libsndfile passes back to the callbacks (the `Sndfile` keeps this object alive).
    var userData: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    private static func of(_ pointer: UnsafeMutableRawPointer?) -> SndfileIO {
        Unmanaged<SndfileIO>.fromOpaque(pointer!).takeUnretainedValue()
    }

    private func record(_ error: SystemCallError) {
        if failure == nil { failure = error }
    }

    private var length: Int64 {
        do {
            return Int64(try FileSystem.status(of: descriptor).st_size)
        } catch {
            record(error)
            return -1
        }
    }

    static var callbacks: SF_VIRTUAL_IO {
        SF_VIRTUAL_IO(
            get_filelen: { userData in SndfileIO.of(userData).length },
            seek: { offset, whence, userData in
                let io = SndfileIO.of(userData)
                let base: Int64
                switch whence {
                case SEEK_SET: base = 0
                case SEEK_CUR: base = io.position
                default: base = io.length
                }
                guard base >= 0, base + offset >= 0 else { return -1 }
                io.position = base + offset
                return io.position
            },
            read: { pointer, count, userData in
                let io = SndfileIO.of(userData)
                var done: Int64 = 0
                while done < count {
                    do throws(SystemCallError) {
                        let read = try FileSystem.read(
                            io.descriptor, into: pointer! + Int(done), count: Int(count - done),
                            at: io.position)
                        if read == 0 { break }
                        done += Int64(read)
                        io.position += Int64(read)
                    } catch {
                        io.record(error)
                        break
                    }
                }
                return done
            },
            write: { pointer, count, userData in
                let io = SndfileIO.of(userData)
                do throws(SystemCallError) {
                    try FileSystem.write(io.descriptor, UnsafeRawBufferPointer(start: pointer, count: Int(count)), at: io.position)
                    io.position += count
                    return count
                } catch {
                    io.record(error)
                    return 0
                }
            },
            tell: { userData in SndfileIO.of(userData).position }
        )
    }
}
