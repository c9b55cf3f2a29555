import Testing

@testable import SquallTop

// Replaced by real tests as SquallTop is built.
@Test func SquallTopModuleLinks() {
    #expect(Bool(true))
}
