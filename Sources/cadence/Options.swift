import ArgumentParser
import CadenceKit

extension Level: ExpressibleByArgument {}

/// Options shared by the commands that schedule a routine.
struct ScheduleOptions: ParsableArguments {
    @Option(name: .long, help: "Sample rate in Hz, 8000 to 192000.")
    var sampleRate: Int = 44_100

    @Option(name: .long, help: "Which value ranges give: easy (low end), normal (midpoint) or hard (high end).")
    var level: Level = .normal

    func validate() throws {
        guard SampleClock.supportedRates.contains(sampleRate) else {
            throw ValidationError("--sample-rate must be from 8000 to 192000, not \(sampleRate)")
        }
    }
}
