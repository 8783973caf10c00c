/// The routine `cadence new` writes: a short, valid session with a comment on every key, to edit.
public enum StarterRoutine {
    public static func text(title: String) -> String {
        let shownTitle = title.isEmpty ? "My routine" : title.replacingOccurrences(of: "'", with: "''")
        return """
            # A Cadence routine. Edit it, check it with `cadence check FILE`, see the timing with
            # `cadence plan FILE`, and make the track with `cadence render FILE`.
            # The whole format: `cadence format`. Durations: 30 or 30s, 1m30s, 500ms; ranges such as
            # 20-30s or 6-8 (`--level easy|normal|hard` picks the low end, the middle or the high end).

            title: '\(shownTitle)'
            about: What this session is for, shown on the player page.

            defaults:
              lead_in: 10s        # time to get ready before the first step
              transition: 8s      # time to get into position before every other step
              rest: 5s            # between reps of a hold
              switch: 5s          # between sides
              countdown: 3        # pips in the last seconds before a change (0: none)

            steps:
              # A movement paced by breathing: rising tone in, falling tone out.
              - name: Cat-cow
                breaths: 5
                inhale: 3s
                exhale: 3s

              # A held stretch.
              - name: Child's pose
                hold: 30s

              # Reps on each side: all on the left, a chime, then all on the right.
              - name: Hamstring stretch
                hold: 20-30s
                reps: 2
                rest: 5s
                sides: each
                first: left

            """
    }
}
