import Foundation

/// Finds and loads a theme by name or path.
///
/// A name (`light`, `gruvbox`) is looked up as `NAME.theme` in, in order: `$SQUALL_THEMES`, a `Themes/`
/// folder found walking up from the executable's directory (a repository checkout), one found walking up from
/// the current directory, and `../share/squall/Themes` next to the executable (an installation).
public struct ThemeLocator: Sendable {
    /// The directories searched for theme names, in order.
    public var searchDirectories: [String]

    /// Creates a locator searching `searchDirectories`.
    public init(searchDirectories: [String]) {
        self.searchDirectories = searchDirectories
    }

    /// The standard search path for this process (arguments default to this process's executable, current
    /// directory and environment).
    public static func standard(
        executablePath: String? = nil,
        currentDirectory: String? = nil,
        environment: [String: String]? = nil
    ) -> ThemeLocator {
        let executablePath = executablePath ?? ThemeLocator.executablePath()
        let currentDirectory = currentDirectory ?? FileManager.default.currentDirectoryPath
        let environment = environment ?? ProcessInfo.processInfo.environment
        var dirs: [String] = []
        if let env = environment["SQUALL_THEMES"], !env.isEmpty { dirs.append(env) }
        let exeDir = (executablePath as NSString).deletingLastPathComponent
        if let found = findUpward("Themes", from: exeDir) { dirs.append(found) }
        if let found = findUpward("Themes", from: currentDirectory) { dirs.append(found) }
        dirs.append(
            ((exeDir as NSString).appendingPathComponent("../share/squall/Themes") as NSString).standardizingPath
        )
        var seen = Set<String>()
        return ThemeLocator(searchDirectories: dirs.filter { seen.insert($0).inserted })
    }

    /// This executable's resolved path.
    public static func executablePath() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        let arg0 = CommandLine.arguments.first ?? ""
        return arg0.hasPrefix("/") ? arg0 : FileManager.default.currentDirectoryPath + "/" + arg0
    }

    /// The theme names available (file names without `.theme`), sorted.
    public func availableNames() -> [String] {
        var names = Set<String>()
        for dir in searchDirectories {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where file.hasSuffix(".theme")
            {
                names.insert(String(file.dropLast(6)))
            }
        }
        return names.sorted()
    }

    /// The path of a theme given by name or path, or `nil` when it cannot be found.
    public func path(for nameOrPath: String) -> String? {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") {
            return FileManager.default.fileExists(atPath: nameOrPath) ? nameOrPath : nil
        }
        for dir in searchDirectories {
            let candidate = dir + "/" + nameOrPath + ".theme"
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Loads a theme by name or path; on any problem returns the built-in default theme and the error.
    public func load(_ nameOrPath: String) -> (theme: Theme, error: ThemeError?) {
        guard let path = path(for: nameOrPath) else {
            let known = availableNames()
            let hint = known.isEmpty ? "" : " (available: \(known.joined(separator: ", ")))"
            return (.defaultDark, ThemeError(file: nameOrPath, line: 0, message: "theme not found\(hint)"))
        }
        return ThemeLocator.load(path: path)
    }

    /// Loads a theme file; on any problem returns the built-in default theme and the error.
    public static func load(path: String) -> (theme: Theme, error: ThemeError?) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = attributes[.size] as? Int, size <= ThemeParser.maxSize,
            let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)
        else {
            return (.defaultDark, ThemeError(file: path, line: 0, message: "cannot read the file as UTF-8 text"))
        }
        do {
            return (try ThemeParser.parse(text, file: path), nil)
        } catch {
            return (.defaultDark, error)
        }
    }

    static func findUpward(_ name: String, from start: String) -> String? {
        var dir = (start as NSString).standardizingPath
        for _ in 0..<32 {
            let candidate = dir + "/" + name
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), isDir.boolValue {
                return candidate
            }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent == dir || parent.isEmpty { return nil }
            dir = parent
        }
        return nil
    }
}
