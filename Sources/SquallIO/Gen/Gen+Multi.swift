extension Gen {
    /// Runs `operations` concurrently and returns their results in the same order; Tornado's `gen.multi`
    /// with a list.
    ///
    /// Each operation runs in its own child task. As soon as one throws, the others are cancelled and awaited,
    /// and that first error is rethrown (Tornado logs the later errors; here they are discarded). An empty
    /// array returns an empty array at once. For a fixed number of operations with different result types,
    /// use `async let` instead.
    /// - Throws: The first error thrown by any operation.
    public static func multi<Result: Sendable>(
        _ operations: [@Sendable () async throws -> Result]
    ) async throws -> [Result] {
        let byIndex = try await collect(operations.enumerated().map { ($0.offset, $0.element) })
        return operations.indices.compactMap { byIndex[$0] }
    }

    /// Runs `operations` concurrently and returns their results under the same keys; Tornado's `gen.multi`
    /// with a dict.
    ///
    /// As with the array form, the first error cancels the other operations and is rethrown.
    /// - Throws: The first error thrown by any operation.
    public static func multi<Key: Hashable & Sendable, Result: Sendable>(
        _ operations: [Key: @Sendable () async throws -> Result]
    ) async throws -> [Key: Result] {
        try await collect(operations.map { ($0.key, $0.value) })
    }

    private static func collect<Key: Hashable & Sendable, Result: Sendable>(
        _ operations: [(Key, @Sendable () async throws -> Result)]
    ) async throws -> [Key: Result] {
        try await withThrowingTaskGroup(of: (Key, Result).self) { group in
            for (key, operation) in operations {
                group.addTask { (key, try await operation()) }
            }
            var results: [Key: Result] = [:]
            results.reserveCapacity(operations.count)
            do {
                for try await (key, result) in group {
                    results[key] = result
                }
            } catch {
                group.cancelAll()
                throw error
            }
            return results
        }
    }
}
