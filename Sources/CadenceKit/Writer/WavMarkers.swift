import Foundation

/// Adds named markers to a finished WAV or RF64 file: a `cue ` chunk with one point per marker
/// and a `LIST`/`adtl` chunk with a `labl` name for each, which libsndfile does not write itself.
/// Audio editors show them as markers, and `ffprobe -show_chapters` as chapters.
enum WavMarkers {
    struct Marker {
        var sample: Int64
        var name: String
    }

    /// The two chunks as bytes (each padded to an even length).
    static func chunks(for markers: [Marker]) -> [UInt8] {
        var cue: [UInt8] = []
        cue.append(contentsOf: Array("cue ".utf8))
        cue.appendLE(UInt32(4 + 24 * markers.count))
        cue.appendLE(UInt32(markers.count))
        for (index, marker) in markers.enumerated() {
            let position = UInt32(clamping: marker.sample)
            cue.appendLE(UInt32(index + 1))     // identifier
            cue.appendLE(position)              // position (play order)
            cue.append(contentsOf: Array("data".utf8))
            cue.appendLE(UInt32(0))             // chunk start
            cue.appendLE(UInt32(0))             // block start
            cue.appendLE(position)              // sample offset
        }
        var list: [UInt8] = Array("adtl".utf8)
        for (index, marker) in markers.enumerated() {
            var text = Array(marker.name.utf8)
            text.append(0)
            list.append(contentsOf: Array("labl".utf8))
            list.appendLE(UInt32(4 + text.count))
            list.appendLE(UInt32(index + 1))
            list.append(contentsOf: text)
            if text.count % 2 == 1 { list.append(0) }
        }
        var chunk = cue
        chunk.append(contentsOf: Array("LIST".utf8))
        chunk.appendLE(UInt32(list.count))
        chunk.append(contentsOf: list)
        return chunk
    }

    /// Appends the marker chunks to the WAV or RF64 file open at `descriptor` and fixes its RIFF size.
    static func append(_ markers: [Marker], descriptor: Int32) throws(SystemCallError) {
        guard !markers.isEmpty else { return }
        var size = try FileSystem.seek(descriptor, 0, SEEK_END)
        var bytes: [UInt8] = []
        if size % 2 == 1 { bytes.append(0) }
        bytes.append(contentsOf: chunks(for: markers))
        try FileSystem.write(descriptor, bytes, at: size)
        size += Int64(bytes.count)
        var header = [UInt8](repeating: 0, count: 4)
        try FileSystem.readExactly(descriptor, &header, at: 0)
        if header == Array("RF64".utf8) {
            // RF64 keeps the real RIFF size in its ds64 chunk, at byte 20.
            var riffSize: [UInt8] = []
            riffSize.appendLE(UInt64(size - 8))
            try FileSystem.write(descriptor, riffSize, at: 20)
        } else {
            var riffSize: [UInt8] = []
            riffSize.appendLE(UInt32(clamping: size - 8))
            try FileSystem.write(descriptor, riffSize, at: 4)
        }
    }
}

extension Array where Element == UInt8 {
    mutating func appendLE(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func appendLE(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
