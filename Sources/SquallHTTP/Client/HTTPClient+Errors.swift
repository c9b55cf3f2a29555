import AsyncHTTPClient
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension HTTPClient {
    /// Maps AsyncHTTPClient's and SwiftNIO's errors to ``HTTPClientError`` causes, with Tornado's messages.
    static func translate(_ error: any Error) -> any Error {
        if error is HTTPClientError || error is CancellationError { return error }
        if let error = error as? AsyncHTTPClient.HTTPClientError {
            switch error {
            case .cancelled:
                return CancellationError()
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return HTTPClientError(cause: .connectTimeout, message: "Timeout while connecting")
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return HTTPClientError(cause: .requestTimeout, message: "Timeout during request")
            case .remoteConnectionClosed:
                return HTTPClientError(cause: .streamClosed, message: "Stream closed", underlying: error)
            case .invalidURL, .emptyHost, .emptyScheme:
                return HTTPClientError(cause: .invalidRequest, message: "invalid URL", underlying: error)
            case .alreadyShutdown:
                return HTTPClientError(cause: .clientClosed, message: "fetch() on a closed client")
            default:
                return HTTPClientError(cause: .other, message: "\(error)", underlying: error)
            }
        }
        switch connectFailure(error) {
        case .some(let cause):
            let message =
                switch cause {
                case .connectionRefused: "Connection refused"
                case .unresolvableHost: "cannot resolve host"
                case .connectTimeout: "Timeout while connecting"
                default: "cannot connect"
                }
            return HTTPClientError(cause: cause, message: message, underlying: error)
        case .none:
            return HTTPClientError(cause: .other, message: "\(error)", underlying: error)
        }
    }

    /// What a connect failure from SwiftNIO means, or `nil` if `error` is not one.
    private static func connectFailure(_ error: any Error) -> HTTPClientError.Cause? {
        if let error = error as? ChannelError, case .connectTimeout = error { return .connectTimeout }
        if let error = error as? IOError {
            return error.errnoCode == ECONNREFUSED ? .connectionRefused : .other
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty { return .unresolvableHost }
            let causes = error.connectionErrors.map { connectFailure($0.error) ?? .other }
            if causes.contains(.connectionRefused) { return .connectionRefused }
            return causes.first ?? .other
        }
        return nil
    }
}
