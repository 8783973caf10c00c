import Foundation
import Yams

/// Reads a routine file: bytes -> screened text -> YAML tree -> validated `Routine`.
public enum RoutineLoader {
    /// Reads and validates the routine at `path`, including the session limits at `level`.
    /// - Throws: `InputError` when the file cannot be read, `RoutineError` when it is not a valid routine.
    public static func load(path: String, level: Level = .normal) throws -> Routine {
        let bytes = try InputFile.readBytes(path: path, limit: TextScreening.maximumFileSize)
        if bytes.count > TextScreening.maximumFileSize {
            // Only the first MiB and a bit was read: say how large the file really is.
            let size = InputFile.size(path: path) ?? Int64(bytes.count)
            throw RoutineError(path: path, diagnostics: [TextScreening.tooLarge(size)], source: "")
        }
        return try parse(bytes, path: path, level: level)
    }

    /// Validates a routine from its bytes, including the session limits at `level`;
    /// `path` is used in messages only.
    public static func parse(_ bytes: [UInt8], path: String, level: Level = .normal) throws(RoutineError) -> Routine {
        let screened = TextScreening.screen(bytes)
        guard screened.diagnostics.isEmpty else {
            throw RoutineError(path: path, diagnostics: screened.diagnostics, source: screened.text)
        }
        let text = screened.text
        let shape = YAMLShapeCheck.check(text)
        guard shape.isEmpty else { throw RoutineError(path: path, diagnostics: shape, source: text) }
        var diagnostics: [Diagnostic] = []
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
                if let parsed = routine, let violation = Scheduler.limitViolation(of: parsed, at: level) {
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
            throw RoutineError(path: path, diagnostics: diagnostics, source: text)
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
            diagnostics.append(Diagnostic(position,
                "YAML anchors and aliases (&\(RoutineParser.quoteForMessage(anchor.rawValue)), *\(RoutineParser.quoteForMessage(anchor.rawValue))) are not allowed in a routine; write each value out"))
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
