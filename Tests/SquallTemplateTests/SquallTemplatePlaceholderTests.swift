import Testing

@testable import SquallTemplate

// Replaced by real tests as SquallTemplate is built.
@Test func SquallTemplateModuleLinks() {
    #expect(Bool(true))
}
