// `import Squall` is enough for a typical application: it brings in the whole framework, and NIOCore for
// `ByteBuffer`, `SocketAddress` and friends, which Squall's API uses.
@_exported public import NIOCore
@_exported public import SquallHTTP
@_exported public import SquallEscape
@_exported public import SquallIO
@_exported public import SquallLocale
@_exported public import SquallMonitor
@_exported public import SquallTemplate
@_exported public import SquallWebSocket
