/// The version of Cadence. It is part of every track's up-to-date check.
public enum CadenceVersion {
    public static let string = "0.2.0"
}
