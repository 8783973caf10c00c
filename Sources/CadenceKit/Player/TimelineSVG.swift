/// The whole session as one picture: a single row, one labelled segment per step, coloured by what
/// the person is doing (transition, hold, breath, rest, switch, end), time marks and a legend.
///
/// The SVG stands alone (no external references, no scripts, no styles but presentation
/// attributes), and it is the picture the player page shows: each step is a `<g class="step">` with
/// `data-step` (index from 0) and `data-start`/`data-end` (seconds), so a page can make it
/// clickable. Routine text is escaped.
public enum TimelineSVG {
    /// The standalone picture, with the routine's title and length above it.
    public static func svg(_ timeline: Timeline) -> String {
        render(timeline, heading: true, playhead: false)
    }

    /// The picture without its heading and with a playhead (`#cadence-playhead`) the player moves.
    static func playerSVG(_ timeline: Timeline) -> String {
        render(timeline, heading: false, playhead: true)
    }

    static let width = 1_000.0
    static let left = 12.0
    static let right = 988.0
    static let barHeight = 40.0
    static let labelSize = 14.0
    static let fontFamily = "system-ui, -apple-system, &#39;Segoe UI&#39;, Roboto, &#39;DejaVu Sans&#39;, sans-serif"

    static func render(_ timeline: Timeline, heading: Bool, playhead: Bool) -> String {
        let total = Double(max(1, timeline.totalSamples))
        func x(_ sample: Int64) -> Double { left + Double(sample) / total * (right - left) }
        let top = heading ? 36.0 : 0.0
        let labelY = top + 16
        let barTop = top + 24
        let barBottom = barTop + barHeight
        let legendTop = barBottom + 32
        let height = legendTop + 20

        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(number(width)) \(number(height))\" "
            + "width=\"\(number(width))\" height=\"\(number(height))\" role=\"img\" class=\"cadence-timeline\" "
            + "data-x0=\"\(number(left))\" data-x1=\"\(number(right))\" data-total=\"\(seconds(timeline.totalSamples, timeline))\" "
            + "font-family=\"\(fontFamily)\">\n"
        out += "<title>\(MarkupText.escape("Timeline: " + timeline.title))</title>\n"
        out += "<defs>\(IntervalStyle.patternDefinitions)</defs>\n"
        out += "<rect width=\"\(number(width))\" height=\"\(number(height))\" fill=\"#ffffff\"/>\n"

        if heading {
            let summary =
                "\(DurationText.short(timeline.totalTime)) · \(timeline.steps.count) "
                + (timeline.steps.count == 1 ? "step" : "steps") + " · \(timeline.level.rawValue)"
            let room = right - left - approximateWidth(summary, size: 12) - 24
            out +=
                "<text x=\"\(number(left))\" y=\"22\" font-size=\"17\" font-weight=\"700\" fill=\"#1c1f24\">"
                + MarkupText.escape(fit(timeline.title, width: room, size: 17) ?? "") + "</text>\n"
            out +=
                "<text x=\"\(number(right))\" y=\"22\" font-size=\"12\" text-anchor=\"end\" fill=\"#4a515b\">"
                + MarkupText.escape(summary) + "</text>\n"
        }

        // The steps, each a group of interval segments under its label.
        var index = 0
        let intervals = timeline.intervals
        for (stepIndex, step) in timeline.steps.enumerated() {
            let begin = index
            while index < intervals.count, intervals[index].step == stepIndex { index += 1 }
            let x0 = x(step.start), x1 = x(step.end)
            let name = MarkupText.escape(step.name)
            out +=
                "<g class=\"step\" data-step=\"\(stepIndex)\" data-start=\"\(seconds(step.start, timeline))\" "
                + "data-end=\"\(seconds(step.end, timeline))\">"
            out += "<title>\(stepIndex + 1). \(name) (\(DurationText.short(step.startTime))–\(DurationText.short(step.endTime)))</title>"
            out +=
                "<rect class=\"hit\" x=\"\(number(x0))\" y=\"\(number(top))\" width=\"\(number(x1 - x0))\" "
                + "height=\"\(number(barBottom - top))\" fill=\"#000000\" fill-opacity=\"0\"/>"
            out += segments(intervals[begin..<index], x: x, top: barTop)
            if let label = fit(step.name, width: x1 - x0 - 5, size: labelSize)
                ?? fit("\(stepIndex + 1)", width: x1 - x0 - 3, size: labelSize)
            {
                out +=
                    "<text class=\"label\" x=\"\(number(x0 + 2))\" y=\"\(number(labelY))\" font-size=\"\(number(labelSize))\" "
                    + "fill=\"#1c1f24\">\(MarkupText.escape(label))</text>"
            }
            out +=
                "<rect class=\"outline\" x=\"\(number(x0 + 1))\" y=\"\(number(barTop - 2))\" width=\"\(number(max(0, x1 - x0 - 2)))\" "
                + "height=\"\(number(barHeight + 4))\" rx=\"3\" fill=\"none\" stroke=\"none\"/>"
            out += "</g>\n"
        }
        // The tail (and anything else outside a step).
        let rest = intervals[index...].filter { $0.step == nil }
        if !rest.isEmpty {
            out += "<g class=\"tail\">" + segments(rest[...], x: x, top: barTop) + "</g>\n"
        }
        // Thin white lines where one step gives way to the next.
        out += "<g class=\"separators\" pointer-events=\"none\" fill=\"#ffffff\">"
        for step in timeline.steps.dropFirst() {
            out += "<rect x=\"\(number(x(step.start) - 0.75))\" y=\"\(number(barTop))\" width=\"1.5\" height=\"\(number(barHeight))\"/>"
        }
        if let tail = rest.first {
            out += "<rect x=\"\(number(x(tail.start) - 0.75))\" y=\"\(number(barTop))\" width=\"1.5\" height=\"\(number(barHeight))\"/>"
        }
        out += "</g>\n"

        // Time marks.
        out += "<g class=\"ticks\" font-size=\"12\" fill=\"#4a515b\">"
        let marks = TimelineTicks.marks(total: timeline.totalTime)
        for time in marks {
            let tx = left + Double(time) / Double(max(1, timeline.totalTime)) * (right - left)
            let anchor = time == 0 ? "start" : (right - tx < 16 ? "end" : "middle")
            out += "<rect x=\"\(number(tx - 0.5))\" y=\"\(number(barBottom + 2))\" width=\"1\" height=\"5\"/>"
            out +=
                "<text x=\"\(number(tx))\" y=\"\(number(barBottom + 20))\" text-anchor=\"\(anchor)\">"
                + TimelineTicks.label(time) + "</text>"
        }
        out += "</g>\n"

        // Legend: the groups this session has.
        let present = Set(intervals.map { IntervalStyle($0.kind) })
        out += "<g class=\"legend\" font-size=\"13\" fill=\"#1c1f24\">"
        var lx = left
        for style in IntervalStyle.allCases where present.contains(style) {
            out +=
                "<rect x=\"\(number(lx))\" y=\"\(number(legendTop))\" width=\"16\" height=\"12\" rx=\"2\" "
                + "fill=\"\(style.swatch)\" stroke=\"#9aa3ae\" stroke-width=\"0.5\"/>"
            out += "<text x=\"\(number(lx + 21))\" y=\"\(number(legendTop + 11))\">\(style.legend)</text>"
            lx += 21 + approximateWidth(style.legend, size: 13) + 22
        }
        out += "</g>\n"

        if playhead {
            out +=
                "<line id=\"cadence-playhead\" x1=\"\(number(left))\" x2=\"\(number(left))\" y1=\"\(number(barTop - 5))\" "
                + "y2=\"\(number(barBottom + 5))\" stroke=\"#111418\" stroke-width=\"3\" stroke-linecap=\"round\" pointer-events=\"none\"/>\n"
        }
        return out + "</svg>\n"
    }

    /// The rectangles of some intervals: neighbours of one colour merged; where there are more
    /// intervals than half-units of width, one rectangle per half unit in the colour that fills
    /// most of it, so a long breathing step does not become thousands of hairlines.
    static func segments(_ intervals: ArraySlice<Interval>, x: (Int64) -> Double, top: Double) -> String {
        guard let first = intervals.first, let last = intervals.last else { return "" }
        var runs: [(x0: Double, x1: Double, fill: String)] = []
        let x0 = x(first.start), x1 = x(last.end)
        let columns = max(1, Int(((x1 - x0) / 0.5).rounded(.up)))
        if intervals.count > columns {
            var weights = Array(repeating: [String: Double](), count: columns)
            for interval in intervals {
                let a = x(interval.start), b = x(interval.end)
                var column = min(columns - 1, max(0, Int((a - x0) / 0.5)))
                while column < columns {
                    let c0 = x0 + Double(column) * 0.5, c1 = c0 + 0.5
                    let overlap = min(b, c1) - max(a, c0)
                    if overlap > 0 { weights[column][IntervalStyle.fill(interval.kind), default: 0] += overlap }
                    if c1 >= b { break }
                    column += 1
                }
            }
            for (column, weight) in weights.enumerated() {
                let fill =
                    weight.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
                    ?? IntervalStyle.fill(IntervalKind.tail)
                let c0 = x0 + Double(column) * 0.5, c1 = min(x1, c0 + 0.5)
                if let previous = runs.last, previous.fill == fill { runs[runs.count - 1].x1 = c1 } else { runs.append((c0, c1, fill)) }
            }
        } else {
            for interval in intervals {
                let fill = IntervalStyle.fill(interval.kind)
                let a = x(interval.start), b = x(interval.end)
                if let previous = runs.last, previous.fill == fill { runs[runs.count - 1].x1 = b } else { runs.append((a, b, fill)) }
            }
        }
        var out = ""
        for run in runs {
            out +=
                "<rect class=\"seg\" x=\"\(number(run.x0))\" y=\"\(number(top))\" width=\"\(number(run.x1 - run.x0))\" "
                + "height=\"\(number(barHeight))\" fill=\"\(run.fill)\" shape-rendering=\"crispEdges\"/>"
        }
        return out
    }

    /// `text` if it fits in `width` at font size `size`, else as much of it as fits followed by an
    /// ellipsis (at least three characters of it), else nil.
    static func fit(_ text: String, width: Double, size: Double) -> String? {
        if approximateWidth(text, size: size) <= width { return text }
        let characters = Array(text)
        var count = characters.count - 1
        while count >= 3 {
            let candidate = String(characters[..<count]).trimmingTrailingSpaces + "…"
            if approximateWidth(candidate, size: size) <= width { return candidate }
            count -= 1
        }
        return nil
    }

    /// A generous estimate of a sans-serif text's width: wide characters count double.
    static func approximateWidth(_ text: String, size: Double) -> Double {
        var units = 0.0
        for character in text {
            let scalar = character.unicodeScalars.first!.value
            if scalar >= 0x1100 {
                units += 1.0
            } else if "iljtfI.,:;'!| ".contains(character) {
                units += 0.33
            } else if character.isUppercase || "mwMW".contains(character) {
                units += 0.72
            } else {
                units += 0.58
            }
        }
        return units * size
    }

    /// A coordinate with at most two decimals.
    static func number(_ value: Double) -> String {
        let hundredths = (value * 100).rounded()
        if hundredths.truncatingRemainder(dividingBy: 100) == 0 { return String(Int64(hundredths / 100)) }
        return String(hundredths / 100)
    }

    /// A sample position in seconds, to the microsecond.
    static func seconds(_ sample: Int64, _ timeline: Timeline) -> String {
        let micro = (Double(sample) / Double(timeline.sampleRate) * 1_000_000).rounded()
        return DurationText.decimal(Int64(micro), scale: 1_000_000)
    }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
