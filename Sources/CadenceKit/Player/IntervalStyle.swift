/// How the player and the timeline picture tell interval kinds apart: six groups, each with its
/// colour and its name in the legend. The four breath phases are one group, drawn in two shades
/// (in and out) so the rhythm shows.
enum IntervalStyle: String, CaseIterable {
    case transition, hold, breath, rest
    case switchSides = "switch"
    case tail
    /// Format 2: tempo movements, own-pace blocks and pauses.
    case move
    case ownPace = "own_pace"
    case pause

    init(_ kind: IntervalKind) {
        switch kind {
        case .transition: self = .transition
        case .hold: self = .hold
        case .inhale, .holdIn, .exhale, .holdOut: self = .breath
        case .rest: self = .rest
        case .switchSides: self = .switchSides
        case .tail: self = .tail
        case .move: self = .move
        case .ownPace: self = .ownPace
        case .pause: self = .pause
        }
    }

    /// The legend's word for the group.
    var legend: String {
        switch self {
        case .transition: return "Transition"
        case .hold: return "Hold"
        case .breath: return "Breath"
        case .rest: return "Rest"
        case .switchSides: return "Switch sides"
        case .tail: return "End"
        case .move: return "Movement"
        case .ownPace: return "Own pace"
        case .pause: return "Pause"
        }
    }

    /// The main colour (also the player's accent while such an interval runs). Each keeps at
    /// least 4.5:1 contrast with white text.
    var colour: String {
        switch self {
        case .transition: return "#5b6470"
        case .hold: return "#17607a"
        case .breath: return "#5b3f8a"
        case .rest: return "#2f7047"
        case .switchSides: return "#9a5400"
        case .tail: return "#5b6470"
        case .move: return "#8a3a62"
        case .ownPace: return "#2e6669"
        case .pause: return "#6b5a2e"
        }
    }

    /// The SVG fill of an interval of `kind`: a pattern for transitions and the tail (so they
    /// read apart from the others without colour), a lighter shade for breathing in.
    static func fill(_ kind: IntervalKind) -> String {
        switch kind {
        case .transition: return "url(#cadence-transition)"
        case .tail: return "url(#cadence-tail)"
        case .inhale, .holdIn: return "#8a70b8"
        case .hold: return "#17607a"
        case .exhale, .holdOut: return "#5b3f8a"
        case .rest: return "#4f9a68"
        case .switchSides: return "#d9901c"
        case .move: return "#b0577f"
        case .ownPace: return "#3f8f8f"
        case .pause: return "#a8915a"
        }
    }

    /// The legend's swatch for a group.
    var swatch: String {
        switch self {
        case .transition: return Self.fill(IntervalKind.transition)
        case .hold: return Self.fill(IntervalKind.hold)
        case .breath: return Self.fill(IntervalKind.exhale)
        case .rest: return Self.fill(IntervalKind.rest)
        case .switchSides: return Self.fill(IntervalKind.switchSides)
        case .tail: return Self.fill(IntervalKind.tail)
        case .move: return Self.fill(IntervalKind.move)
        case .ownPace: return Self.fill(IntervalKind.ownPace)
        case .pause: return Self.fill(IntervalKind.pause)
        }
    }

    /// The patterns the fills above refer to, for an SVG's `<defs>`.
    static let patternDefinitions = """
        <pattern id="cadence-transition" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
        <rect width="8" height="8" fill="#dde1e6"/><rect width="3" height="8" fill="#9aa3ae"/></pattern>\
        <pattern id="cadence-tail" width="8" height="8" patternUnits="userSpaceOnUse">\
        <rect width="8" height="8" fill="#eef0f3"/><circle cx="4" cy="4" r="1.4" fill="#9aa3ae"/></pattern>
        """
}
