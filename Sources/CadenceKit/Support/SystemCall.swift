import Foundation

/// A failed C library call: which operation, and errno's meaning.
struct SystemCallError: Error, CustomStringConvertible {
    var operation: String
    var code: Int32
    var description: String { "\(operation): \(SystemError.describe(code, reading: false))" }
}

/// The one place where C return codes become Swift errors (as swift-system does).
enum SystemCall {
    @discardableResult
    static func check<T: BinaryInteger>(_ result: T, _ operation: String) throws(SystemCallError) -> T {
        if result < 0 { throw SystemCallError(operation: operation, code: errno) }
        return result
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], at offset: off_t) throws(SystemCallError) {
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + done, bytes.count - done, offset + off_t(done)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(operation: "write", code: errno)
            }
            done += count
        }
    }

    static func readExactly(_ descriptor: Int32, _ bytes: inout [UInt8], at offset: off_t) throws(SystemCallError) {
        var done = 0
        let total = bytes.count
        while done < total {
            let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, total - done, offset + off_t(done)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(operation: "read", code: errno)
            }
            if count == 0 { throw SystemCallError(operation: "read", code: EIO) }
            done += count
        }
    }
}
