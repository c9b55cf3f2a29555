import Testing

@testable import SquallWebSocket

// Replaced by real tests as SquallWebSocket is built.
@Test func SquallWebSocketModuleLinks() {
    #expect(Bool(true))
}
