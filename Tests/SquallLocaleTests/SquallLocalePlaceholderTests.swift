import Testing

@testable import SquallLocale

// Replaced by real tests as SquallLocale is built.
@Test func SquallLocaleModuleLinks() {
    #expect(Bool(true))
}
