// SquallTemplate: this module is filled by issue #5 (see docs/ARCHITECTURE.md).
// It holds no public API yet; nothing here pretends to work.
