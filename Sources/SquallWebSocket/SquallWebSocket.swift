// SquallWebSocket: this module is filled by issue #6 (see docs/ARCHITECTURE.md).
// It holds no public API yet; nothing here pretends to work.
