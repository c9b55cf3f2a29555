/// Facts about this build of squall-top.
public enum SquallTopInfo {
    /// squall-top's version.
    public static let version = "0.1.0"
}
