import Testing

@testable import SquallMonitor

// Replaced by real tests as SquallMonitor is built.
@Test func SquallMonitorModuleLinks() {
    #expect(Bool(true))
}
