import NIOCore
import Testing

@testable import SquallIO

@Suite struct NetUtilTests {
    @Test(arguments: ["127.0.0.1", "4.4.4.4", "::1", "2620:0:1cfe:face:b00c::3"])
    func recognisesIPAddresses(_ text: String) {
        #expect(isValidIP(text))
    }

    @Test(arguments: ["www.google.com", "localhost", "4.4.4.4<", " 127.0.0.1", "", " ", "\n", "\u{0}", "a\u{0}"])
    func rejectsWhatIsNotAnIPAddress(_ text: String) {
        #expect(!isValidIP(text))
    }

    @Test func theDefaultResolverReadsLocalhostWithoutTheNetwork() async throws {
        let addresses = try await DefaultResolver().resolve(host: "localhost", port: 80, family: .inet)
        #expect(addresses.contains { $0.ipAddress == "127.0.0.1" && $0.port == 80 })
    }

    @Test func theDefaultResolverReturnsIPLiteralsAsTheyAre() async throws {
        #expect(
            try await DefaultResolver().resolve(host: "10.1.2.3", port: 5, family: .unspecified).map(\.ipAddress) == [
                "10.1.2.3"
            ]
        )
        #expect(try await DefaultResolver().resolve(host: "10.1.2.3", port: 5, family: .inet6).isEmpty)
    }

    @Test func anOverrideResolverMapsNames() async throws {
        let resolver = OverrideResolver(mapping: ["service.example": "127.0.0.1"])
        let addresses = try await resolver.resolve(host: "service.example", port: 8080, family: .unspecified)
        #expect(addresses.map(\.ipAddress) == ["127.0.0.1"])
    }

    @Test func bindAddressesForEveryInterfaceAreBothFamilies() async throws {
        let addresses = try await bindAddresses(host: nil, port: 0)
        #expect(addresses.map(\.ipAddress) == ["0.0.0.0", "::"])
        #expect(try await bindAddresses(host: "127.0.0.1", port: 1).map(\.ipAddress) == ["127.0.0.1"])
    }
}
