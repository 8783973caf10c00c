import Foundation
import Yams

/// Reads a routine file: bytes -> screened text -> YAML tree -> validated `Routine`.
public enum RoutineLoader {
    /// Reads and validates the routine at `path`, including the session limits at `level` (on
    /// `day`, or on every day of its program when `day` is nil).
    /// - Throws: `InputError` when the file cannot be read, `RoutineError` when it is not a valid routine.
    public static func load(path: String, level: Level = .normal, day: Int? = nil) throws -> Routine {
        let (bytes, size) = try InputFile.readBytes(path, kind: "routine file", limit: TextScreening.maximumFileSize)
        return try parse(bytes, path: path, size: size, level: level, day: day)
    }

    /// Validates a routine from its bytes, including the session limits at `level`;
    /// `path` is used in messages only. `size` is the file's real size when only its first MiB and
    /// a bit were read (a file over the limit is refused, and the message says how large it is).
    /// How many days the program of the routine at `path` lasts, or nil when it has no `days` or
    /// cannot be read as a routine (it is then reported when it is rendered). Session limits are not
    /// checked: they depend on the level and the day.
    public static func programDays(ofRoutineAt path: String) -> Int? {
        guard let (bytes, _) = try? InputFile.readBytes(path, kind: "routine file", limit: TextScreening.maximumFileSize) else {
            return nil
        }
        return (try? parse(bytes, path: path, checkingLimits: false))?.days
    }

    /// A `day` outside the routine's program is not checked here: the caller reports it.
    public static func parse(
        _ bytes: [UInt8], path: String, size: Int64? = nil, level: Level = .normal,
        day: Int? = nil
    ) throws(RoutineError) -> Routine {
        try parse(bytes, path: path, size: size, level: level, day: day, checkingLimits: true)
    }

    private static func parse(
        _ bytes: [UInt8], path: String, size: Int64? = nil, level: Level = .normal,
        day: Int? = nil, checkingLimits: Bool
    ) throws(RoutineError) -> Routine {
        if bytes.count > TextScreening.maximumFileSize {
            throw RoutineError(path: path, diagnostics: [TextScreening.tooLarge(max(size ?? 0, Int64(bytes.count)))], source: "")
        }
        let screened = TextScreening.screen(bytes)
        guard screened.diagnostics.isEmpty else {
            throw RoutineError(path: path, diagnostics: screened.diagnostics, source: screened.text, notShown: screened.notShown)
        }
        let text = screened.text
        let shape = YAMLShapeCheck.check(text)
        guard shape.diagnostics.isEmpty else {
            throw RoutineError(path: path, diagnostics: shape.diagnostics, source: text, notShown: shape.notShown)
        }
        var diagnostics: [Diagnostic] = []
        var notShown = 0
        var routine: Routine?
        do {
            let parser = try Parser(yaml: text)
            let root = try parser.singleRoot()
            // Anchors are looked for while the parser is alive: Yams holds them weakly.
            withExtendedLifetime(parser) {
                if let root { AnchorCheck.findAnchors(in: root, into: &diagnostics) }
            }
            if diagnostics.isEmpty {
                var routineParser = RoutineParser()
                routine = routineParser.parse(root)
                diagnostics = routineParser.diagnostics
                notShown = routineParser.notShown
                let checkedDay = day.flatMap { day in (1...(routine?.days ?? 1)).contains(day) ? day : nil }
                if checkingLimits, let parsed = routine, let violation = Scheduler.limitViolation(of: parsed, at: level, day: checkedDay) {
                    diagnostics.append(violation)
                }
            }
        } catch let error as YamlError {
            diagnostics = [YAMLErrorTranslation.diagnostic(for: error, in: text)]
        } catch {
            diagnostics = [Diagnostic(SourcePosition(line: 1, column: 1), "cannot parse the file as YAML: \(error)")]
        }
        guard let routine, diagnostics.isEmpty else {
            if diagnostics.isEmpty {
                diagnostics = [Diagnostic(SourcePosition(line: 1, column: 1), "not a valid routine")]
            }
            throw RoutineError(path: path, diagnostics: diagnostics, source: text, notShown: notShown)
        }
        return routine
    }
}

/// Finds YAML anchors (and so aliases, which need one) without ever following an alias,
/// so a document built to expand exponentially costs no more than its own size.
enum AnchorCheck {
    static func findAnchors(in node: Node, into diagnostics: inout [Diagnostic]) {
        guard diagnostics.count < RoutineError.maximumReported else { return }
        let anchor: Anchor?
        switch node {
        case .scalar(let scalar): anchor = scalar.anchor
        case .mapping(let mapping): anchor = mapping.anchor
        case .sequence(let sequence): anchor = sequence.anchor
        case .alias(let alias): anchor = alias.anchor
        }
        if let anchor {
            let position = RoutineParser.position(of: node)
            guard !diagnostics.contains(where: { $0.position == position }) else { return }
            diagnostics.append(
                Diagnostic(
                    position,
                    "YAML anchors and aliases (&\(RoutineParser.quoteForMessage(anchor.rawValue)), *\(RoutineParser.quoteForMessage(anchor.rawValue))) are not allowed in a routine; write each value out"
                ))
            return
        }
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                findAnchors(in: key, into: &diagnostics)
                findAnchors(in: value, into: &diagnostics)
            }
        case .sequence(let sequence):
            for element in sequence { findAnchors(in: element, into: &diagnostics) }
        case .scalar, .alias:
            break
        }
    }
}
