// SquallMonitor: this module is filled by issue #7 (see docs/ARCHITECTURE.md).
// It holds no public API yet; nothing here pretends to work.
