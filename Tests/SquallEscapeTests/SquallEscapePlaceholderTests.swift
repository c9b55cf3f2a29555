import Testing

@testable import SquallEscape

// Replaced by real tests as SquallEscape is built.
@Test func SquallEscapeModuleLinks() {
    #expect(Bool(true))
}
