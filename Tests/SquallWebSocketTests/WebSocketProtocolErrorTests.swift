import NIOCore
import Squall
import SquallTesting
@testable import SquallWebSocket
import Testing

@Suite struct WebSocketProtocolErrorTests {
    /// Sends `frames` on a raw connection to an echo server and returns the code of the server's close frame.
    private func closeCode(after frames: [(opcode: UInt8, payload: [UInt8], fin: Bool, rsv: UInt8, masked: Bool)])
        async throws -> Int?
    {
        try await withWebSocketServer([try url("/", EchoHandler.self)]) { server in
            let raw = try await RawWebSocket.connect(port: server.port)
            for frame in frames {
                try await raw.send(
                    opcode: frame.opcode,
                    frame.payload,
                    fin: frame.fin,
                    rsv: frame.rsv,
                    masked: frame.masked
                )
            }
            let code = try await raw.readCloseCode()
            // After a protocol error the server drops the TCP connection.
            _ = try? await raw.stream.readUntilClose()
            return code
        }
    }

    @Test func anUnmaskedClientFrameClosesWith1002() async throws {
        #expect(try await closeCode(after: [(0x1, Array("hi".utf8), true, 0, false)]) == 1002)
    }

    @Test func reservedBitsWithoutAnExtensionCloseWith1002() async throws {
        #expect(try await closeCode(after: [(0x1, Array("hi".utf8), true, 0b010, true)]) == 1002)
        #expect(try await closeCode(after: [(0x1, Array("hi".utf8), true, 0b100, true)]) == 1002)
    }

    @Test func reservedOpcodesCloseWith1002() async throws {
        #expect(try await closeCode(after: [(0x3, [], true, 0, true)]) == 1002)
        #expect(try await closeCode(after: [(0xB, [], true, 0, true)]) == 1002)
    }

    @Test func aFragmentedControlFrameClosesWith1002() async throws {
        #expect(try await closeCode(after: [(0x9, [1], false, 0, true)]) == 1002)
    }

    @Test func aControlFrameLongerThan125BytesClosesWith1002() async throws {
        #expect(try await closeCode(after: [(0x9, Array(repeating: 0, count: 126), true, 0, true)]) == 1002)
    }

    @Test func aContinuationWithoutAMessageAndANewMessageInsideAnotherCloseWith1002() async throws {
        #expect(try await closeCode(after: [(0x0, [1], true, 0, true)]) == 1002)
        #expect(try await closeCode(after: [(0x1, [0x61], false, 0, true), (0x1, [0x61], true, 0, true)]) == 1002)
    }

    @Test func invalidCloseCodesAndOneByteClosePayloadsCloseWith1002() async throws {
        for code in [0, 999, 1004, 1005, 1006, 1015, 2000, 2999, 5000, 65535] {
            #expect(try await closeCode(after: [(0x8, RawWebSocket.closePayload(code), true, 0, true)]) == 1002)
        }
        #expect(try await closeCode(after: [(0x8, [3], true, 0, true)]) == 1002)
    }

    @Test func validCloseCodesAreEchoed() async throws {
        for code in [1000, 1001, 1003, 1007, 1011, 3000, 4999] {
            #expect(try await closeCode(after: [(0x8, RawWebSocket.closePayload(code, "ok"), true, 0, true)]) == code)
        }
        #expect(try await closeCode(after: [(0x8, [], true, 0, true)]) == nil)
    }

    @Test func invalidUTF8InATextMessageOrACloseReasonClosesWith1007() async throws {
        #expect(try await closeCode(after: [(0x1, [0xCE, 0xBA, 0xE1, 0xBD], true, 0, true)]) == 1007)
        #expect(try await closeCode(after: [(0x1, [0xED, 0xA0, 0x80], true, 0, true)]) == 1007)
        let badReason = RawWebSocket.closePayload(1000) + [0xFF]
        #expect(try await closeCode(after: [(0x8, badReason, true, 0, true)]) == 1007)
    }

    @Test func fragmentedTextIsValidatedAsItArrivesNotOnlyAtTheEnd() async throws {
        // The first fragment already holds a byte that can never be UTF-8; the message never ends.
        #expect(try await closeCode(after: [(0x1, [0x61, 0xC0, 0x80], false, 0, true)]) == 1007)
    }

    @Test func aCharacterSplitAcrossFragmentsIsAccepted() async throws {
        try await withWebSocketServer([try url("/", EchoHandler.self)]) { server in
            let raw = try await RawWebSocket.connect(port: server.port)
            let euro = Array("€".utf8)
            try await raw.send(opcode: 0x1, [euro[0]], fin: false)
            try await raw.send(opcode: 0x9, [7])  // a control frame between fragments is allowed
            try await raw.send(opcode: 0x0, [euro[1]], fin: false)
            try await raw.send(opcode: 0x0, [euro[2]], fin: true)
            let pong = try await raw.readFrame()
            #expect(pong.opcode == 0xA && pong.payload == [7])
            let echo = try await raw.readFrame()
            #expect(echo.opcode == 0x1 && echo.payload == euro)
        }
    }

    @Test func theUTF8ValidatorFollowsUnicodesTableOfWellFormedSequences() {
        let valid: [[UInt8]] = [
            Array("hello κόσμε €𝄞".utf8), [0xF4, 0x8F, 0xBF, 0xBF], [0xEF, 0xBF, 0xBF], [0xE0, 0xA0, 0x80],
        ]
        let invalid: [[UInt8]] = [
            [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80],
        ]
        // Fed one byte at a time, as fragments may split characters anywhere.
        func accepts(_ bytes: [UInt8]) -> Bool {
            var validator = UTF8Validator()
            for byte in bytes where !validator.feed([byte]) { return false }
            return validator.isComplete
        }
        for bytes in valid { #expect(accepts(bytes)) }
        for bytes in invalid { #expect(!accepts(bytes)) }
        #expect(!accepts([0xE2, 0x82]))
    }
}
