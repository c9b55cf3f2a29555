/// A locale's name in English and in its own language.
public struct LocaleName: Sendable, Equatable {
    /// The name in English, such as `"Spanish (Spain)"`.
    public let nameEn: String
    /// The name in the language itself, such as `"Español (España)"`.
    public let name: String
}
