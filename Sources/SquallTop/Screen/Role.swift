/// A named part of the dashboard that a theme gives a style to.
///
/// Views never pick colours: they tag every cell with a role, and the theme decides how that role looks.
/// The raw value is the name a theme file uses (see Themes/README.md).
public enum Role: String, Sendable, CaseIterable, Hashable {
    /// Empty screen area.
    case background
    /// Ordinary text.
    case text
    /// Secondary text (units, hints, separators).
    case dim
    /// Box lines and rules.
    case border
    /// The header's first line (server name).
    case title
    /// Labels in the header (`req/s`, `rss` …).
    case headerLabel
    /// Values in the header.
    case headerValue
    /// A tab that is not shown.
    case tab
    /// The tab that is shown.
    case tabActive
    /// Column titles of a table.
    case tableHeader
    /// The column title the table is sorted by.
    case tableHeaderSorted
    /// The selected row.
    case selected
    /// A row of a connection that has closed (kept visible for a few seconds).
    case closed
    /// A figure within its normal range.
    case ok
    /// A figure past its warning threshold.
    case warning
    /// A figure past its critical threshold.
    case critical
    /// Sparklines and small bars.
    case sparkline
    /// Larger graphs (loop lag history).
    case graph
    /// Debug and trace log lines.
    case logDebug
    /// Info log lines and 2xx/3xx requests.
    case logInfo
    /// Warning log lines and 4xx requests.
    case logWarning
    /// Error log lines and 5xx requests.
    case logError
    /// The status line at the bottom.
    case status
    /// A command error in the status line.
    case statusError
    /// A text prompt (filter, threshold) in the status line.
    case prompt
    /// The body of a dialog or overlay.
    case dialog
    /// The title of a dialog or overlay.
    case dialogTitle
    /// A key name in help and hints.
    case key
    /// The FROZEN badge.
    case frozen
}
