// SquallTesting: this module is filled by issue #4 (see docs/ARCHITECTURE.md).
// It holds no public API yet; nothing here pretends to work.
