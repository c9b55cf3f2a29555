/// Why translations could not be loaded; the description names the file (and line, for CSV).
public enum LocaleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The directory could not be listed, or a file could not be read.
    case unreadable(path: String, reason: String)
    /// A translation file is larger than the limit given to the loader (`size` is how much was read before
    /// stopping, just over `limit`).
    case fileTooLarge(path: String, size: Int, limit: Int)
    /// A CSV translation file is malformed at `line` (1-based): bad encoding, an unterminated quote, a field
    /// over Python's 131,072-character limit.
    case invalidCSV(path: String, line: Int, reason: String)
    /// A CSV file's name is not a locale code followed by `.csv` alone.
    case invalidFileName(path: String)
    /// A gettext `.mo` file is malformed or uses something unsupported (a charset other than UTF-8, ASCII or
    /// Latin-1; a bad `Plural-Forms` rule).
    case invalidMO(path: String, reason: String)

    /// A message naming the file and, where known, the line.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .fileTooLarge(let path, _, let limit): "\(path): larger than the \(limit)-byte limit"
        case .invalidCSV(let path, let line, let reason): "\(path):\(line): \(reason)"
        case .invalidFileName(let path): "\(path): a CSV translation file is named LOCALE.csv (e.g. es_LA.csv)"
        case .invalidMO(let path, let reason): "\(path): \(reason)"
        }
    }
}
