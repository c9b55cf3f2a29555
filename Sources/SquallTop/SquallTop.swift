// SquallTop: this module is filled by issue #8 (see docs/ARCHITECTURE.md).
// It holds no public API yet; nothing here pretends to work.
