/// Python's `posixpath` functions that Tornado's ``StaticFileHandler`` checks paths with, so Squall accepts and
/// refuses exactly the paths Tornado does.
///
/// They work on UTF-8 bytes: a `/` is a separator wherever it appears, and prefixes are compared byte for byte
/// (Swift's `String` would merge a `/` with a following combining mark into one `Character`, and compares
/// canonically equivalent spellings as equal, though the file system does not).
enum PosixPath {
    private static let slash = UInt8(ascii: "/")
    private static let dot = UInt8(ascii: ".")

    /// `os.path.join(base, other)`: an absolute `other` replaces `base`.
    static func join(_ base: String, _ other: String) -> String {
        if other.utf8.first == slash { return other }
        if base.isEmpty || base.utf8.last == slash { return base + other }
        return base + "/" + other
    }

    /// `os.path.normpath`: collapses repeated slashes, `.` and `..` (which cannot climb above `/`); keeps
    /// exactly two leading slashes, as POSIX allows them a special meaning.
    static func normalize(_ path: String) -> String {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty else { return "." }
        var initialSlashes = bytes.first == slash ? 1 : 0
        if bytes.starts(with: [slash, slash]) && !bytes.starts(with: [slash, slash, slash]) { initialSlashes = 2 }
        var components: [ArraySlice<UInt8>] = []
        for component in bytes.split(separator: slash, omittingEmptySubsequences: false) {
            if component.isEmpty || component.elementsEqual([dot]) { continue }
            let isParent = component.elementsEqual([dot, dot])
            if !isParent || (initialSlashes == 0 && components.isEmpty)
                || (components.last?.elementsEqual([dot, dot]) ?? false)
            {
                components.append(component)
            } else if !components.isEmpty {
                components.removeLast()
            }
        }
        let out = [UInt8](repeating: slash, count: initialSlashes) + Array(components.joined(separator: [slash]))
        return out.isEmpty ? "." : String(decoding: out, as: UTF8.self)
    }

    /// `os.path.abspath`: relative paths are taken from the working directory, then normalized.
    static func absolute(_ path: String) -> String {
        normalize(path.utf8.first == slash ? path : join(FileSystem.currentDirectory(), path))
    }

    /// Tornado's containment test `(path + os.sep).startswith(directory)`, byte for byte; `directory` ends with
    /// `/`, so `/srv/static` matches itself and its contents but not `/srv/static_foo.txt`.
    static func isWithin(_ path: String, directory: String) -> Bool {
        (path + "/").utf8.starts(with: directory.utf8)
    }

    /// `os.path.split`: the part before the last slash (without trailing slashes unless it is all slashes) and
    /// the part after it.
    static func split(_ path: String) -> (head: String, tail: String) {
        let bytes = Array(path.utf8)
        let cut = (bytes.lastIndex(of: slash) ?? -1) + 1
        var head = bytes[..<cut]
        if !head.isEmpty && head.contains(where: { $0 != slash }) {
            while head.last == slash { head = head.dropLast() }
        }
        return (String(decoding: head, as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self))
    }

    /// `os.path.realpath(path, strict=False)`: every symlink resolved, including dangling ones (whose targets
    /// are reported, not checked); components that do not exist are kept as written.
    static func resolve(_ path: String) -> String {
        var seen: [String: String?] = [:]
        return absolute(joinRealPath("", path, &seen).path)
    }

    /// Python's `posixpath._joinrealpath`; `seen` maps symlinks to their resolution (`nil` while resolving, to
    /// detect loops).
    private static func joinRealPath(
        _ start: String,
        _ rest: String,
        _ seen: inout [String: String?]
    ) -> (path: String, complete: Bool) {
        var path = start
        var rest = Array(rest.utf8)[...]
        if rest.first == slash {
            rest = rest.dropFirst()
            path = "/"
        }
        while !rest.isEmpty {
            let name: ArraySlice<UInt8>
            if let separator = rest.firstIndex(of: slash) {
                name = rest[..<separator]
                rest = rest[(separator + 1)...]
            } else {
                name = rest
                rest = []
            }
            if name.isEmpty || name.elementsEqual([dot]) { continue }
            if name.elementsEqual([dot, dot]) {
                if path.isEmpty {
                    path = ".."
                } else {
                    let (head, tail) = split(path)
                    path = tail == ".." ? join(join(head, ".."), "..") : head
                }
                continue
            }
            let newPath = join(path, String(decoding: name, as: UTF8.self))
            guard let info = FileSystem.linkStatus(newPath), info.isSymbolicLink,
                let target = FileSystem.linkTarget(newPath)
            else {
                path = newPath
                continue
            }
            if let known = seen[newPath] {
                if let known {
                    path = known
                    continue
                }
                // A symlink loop: what is resolved so far, and the rest unchanged.
                return (join(newPath, String(decoding: rest, as: UTF8.self)), false)
            }
            seen[newPath] = .some(nil)
            let resolved = joinRealPath(path, target, &seen)
            path = resolved.path
            if !resolved.complete { return (join(path, String(decoding: rest, as: UTF8.self)), false) }
            seen[newPath] = .some(path)
        }
        return (path, true)
    }
}
