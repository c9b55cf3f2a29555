public import Foundation

/// The discovery file a monitored server writes so squall-top finds it without flags.
///
/// Files live in `$XDG_RUNTIME_DIR/squall/` or else `~/.squall/run/`, one per process, named `<pid>.json`,
/// created with mode 0600 in a 0700 directory and removed on clean exit. Readers ignore, and delete, files
/// whose process no longer exists.
public struct DiscoveryRecord: Codable, Sendable, Equatable {
    /// The server's process id.
    public var pid: Int32
    /// The program name.
    public var program: String
    /// The application's listening addresses, `ip:port`.
    public var appAddresses: [String]
    /// The dashboard WebSocket URL, e.g. `ws://127.0.0.1:40123/ws`.
    public var adminURL: String
    /// The bearer token the admin listener requires.
    public var token: String
    /// When the server started, in seconds since 1970.
    public var startedAt: Double
    /// The protocol version the server speaks.
    public var protocolVersion: Int

    /// Creates a record.
    public init(
        pid: Int32,
        program: String,
        appAddresses: [String],
        adminURL: String,
        token: String,
        startedAt: Double,
        protocolVersion: Int = MonitorProtocol.version
    ) {
        self.pid = pid
        self.program = program
        self.appAddresses = appAddresses
        self.adminURL = adminURL
        self.token = token
        self.startedAt = startedAt
        self.protocolVersion = protocolVersion
    }
}

/// Reads and writes discovery files.
public enum Discovery {
    /// The directory discovery files live in for this user, from the environment.
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            return runtime + "/squall"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.squall/run"
    }

    /// Writes `record` to `<directory>/<pid>.json` with mode 0600, creating the directory with mode 0700.
    /// - Returns: the file's path, for ``remove(path:)`` at exit.
    @discardableResult
    public static func write(_ record: DiscoveryRecord, directory: String = Discovery.directory()) throws -> String {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        let path = "\(directory)/\(record.pid).json"
        let text = try MonitorCodec.encode(record)
        // Create with 0600 before writing the token, so it is never readable by others even briefly.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return path
    }

    /// Removes a discovery file written by ``write(_:directory:)``.
    public static func remove(path: String) {
        unlink(path)
    }

    /// Whether a process with this id exists.
    public static func isAlive(pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// The live servers' records, oldest first; files of dead processes are deleted, unreadable ones skipped.
    public static func list(directory: String = Discovery.directory()) -> [DiscoveryRecord] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var records: [DiscoveryRecord] = []
        for name in names where name.hasSuffix(".json") {
            let path = "\(directory)/\(name)"
            guard let data = FileManager.default.contents(atPath: path), data.count < 64 * 1024,
                let record = try? MonitorCodec.decode(DiscoveryRecord.self, from: String(decoding: data, as: UTF8.self))
            else { continue }
            if isAlive(pid: record.pid) {
                records.append(record)
            } else {
                unlink(path)
            }
        }
        return records.sorted { $0.startedAt < $1.startedAt }
    }
}
