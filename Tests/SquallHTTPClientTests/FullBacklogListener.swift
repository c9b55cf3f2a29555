// Linux only: the backlog behaviour and the socket constants it relies on are Glibc's.
#if canImport(Glibc)
    import Glibc

    /// A socket on 127.0.0.1 that listens with the smallest backlog and never accepts, its queue filled by a few
    /// half-open connects: the kernel then drops new SYNs, so connecting to it times out.
    struct FullBacklogListener {
        let port: Int
        private let fds: [Int32]

        struct SocketError: Error { let call: String }

        init() throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard listener >= 0 else { throw SocketError(call: "socket") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(listener, pointer, length) == 0 && listen(listener, 0) == 0
                        && getsockname(listener, pointer, &length) == 0
                }
            }
            guard bound else {
                Glibc.close(listener)
                throw SocketError(call: "bind/listen")
            }
            var fds = [listener]
            for _ in 0..<4 {
                let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
                guard filler >= 0 else { continue }
                fds.append(filler)
                _ = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) }
                }
            }
            self.fds = fds
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        func close() {
            for fd in fds { Glibc.close(fd) }
        }
    }
#endif
