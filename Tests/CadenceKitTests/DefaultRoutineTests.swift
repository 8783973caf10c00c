import Foundation
import XCTest
@testable import CadenceKit

/// The routine `cadence render` renders when given none is Routines/daily-lower-back.yaml itself.
final class DefaultRoutineTests: XCTestCase {
    private let file = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Routines/daily-lower-back.yaml")

    func testTheBuiltInRoutineIsTheRoutinesFileByteForByte() throws {
        let bytes = try Data(contentsOf: file)
        XCTAssertEqual(
            Array(DefaultRoutine.text.utf8), Array(bytes),
            "DefaultRoutine.swift is out of date: run scripts/embed-default-routine")
        XCTAssertEqual(DefaultRoutine.name, file.deletingPathExtension().lastPathComponent)
    }

    func testTheBuiltInRoutineIsValidAndIsTheSixStepDailyRoutine() throws {
        let routine = try RoutineLoader.parse(Array(DefaultRoutine.text.utf8), path: "built-in")
        XCTAssertEqual(routine.title, "Daily lower-back stretch")
        XCTAssertEqual(
            routine.steps.map(\.name),
            ["Cat-cow warm-up", "Child's pose", "Hamstring stretch", "Glute stretch", "Back twist", "Side bend"])
    }
}
