import NIOCore
import Testing

@testable import SquallIO

@Suite struct IOStreamTests {
    @Test func echoesLinesOverLoopback() async throws {
        try await withServer(handler: { stream in
            while true {
                let line = try await stream.readUntil("\n")
                try await stream.write(line)
            }
        }) { port in
            let client = try await connect(port)
            for index in 0..<100 {
                try await client.write("line \(index)\n")
                #expect(try await client.readUntil("\n").text == "line \(index)\n")
            }
            client.close()
        }
    }

    @Test func findsADelimiterSplitAcrossPackets() async throws {
        let received = Box<String?>(nil)
        try await withServer(handler: { stream in
            received.value = try await stream.readUntil("\r\n\r\n").text
            try await stream.write("ok")
        }) { port in
            let client = try await connect(port)
            for piece in ["GET / HTTP/1.1\r", "\nHost: x\r\n", "\r", "\nbody"] {
                try await client.write(piece)
                try await Task.sleep(for: .milliseconds(30))
            }
            #expect(try await client.readBytes(2).text == "ok")
            #expect(received.value == "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        }
    }

    @Test func delimiterSearchResumesWhereItStopped() {
        let bytes = ByteBuffer(string: "abc\r\ndef")
        #expect(IOStreamHandler.find(Array("\r\n".utf8), in: bytes.readableBytesView, from: 0) == 3)
        #expect(IOStreamHandler.find(Array("\r\n".utf8), in: bytes.readableBytesView, from: 3) == 3)
        #expect(IOStreamHandler.find(Array("\r\n".utf8), in: bytes.readableBytesView, from: 4) == nil)
        #expect(IOStreamHandler.find(Array("f".utf8), in: bytes.readableBytesView, from: 0) == 7)
        #expect(IOStreamHandler.find(Array("def!".utf8), in: bytes.readableBytesView, from: 0) == nil)
    }

    @Test func keepsBytesBeyondTheDelimiterForTheNextRead() async throws {
        let lines = Box<[String]>([])
        try await withServer(handler: { stream in
            for _ in 0..<3 {
                lines.update { $0.append("") }; let line = try await stream.readUntil("\n").text
                lines.update { $0[$0.count - 1] = line }
            }
            try await stream.write("done")
        }) { port in
            let client = try await connect(port)
            try await client.write("one\ntwo\nthree\n")
            #expect(try await client.readBytes(4).text == "done")
            #expect(lines.value == ["one\n", "two\n", "three\n"])
        }
    }

    @Test func readUntilFailsAndClosesWhenTheDelimiterIsNotWithinMaxBytes() async throws {
        let outcome = Box<String>("")
        try await withServer(handler: { stream in
            do {
                _ = try await stream.readUntil("\n", maxBytes: 16)
                outcome.value = "read succeeded"
            } catch let error as UnsatisfiableReadError {
                outcome.value = "unsatisfiable: \(error) closed=\(stream.isClosed)"
            }
        }) { port in
            let client = try await connect(port)
            try await client.write(String(repeating: "x", count: 64))
            _ = await client.waitForClose()
            try await eventually("the server handler saw the error") { !outcome.value.isEmpty }
            #expect(outcome.value.hasPrefix("unsatisfiable: delimiter \"\\n\" not found within 16 bytes"))
            #expect(outcome.value.hasSuffix("closed=true"))
        }
    }

    @Test func readUntilRegexReturnsThroughTheEndOfTheMatch() async throws {
        let got = Box<[String]>([])
        try await withServer(handler: { stream in
            let first = try await stream.readUntilRegex(/\r?\n\r?\n/).text
            let rest = try await stream.readBytes(4).text
            got.value = [first, rest]
            try await stream.write("k")
        }) { port in
            let client = try await connect(port)
            try await client.write("head\n")
            try await Task.sleep(for: .milliseconds(20))
            try await client.write("\r\nrest")
            #expect(try await client.readBytes(1).text == "k")
            #expect(got.value == ["head\n\r\n", "rest"])
        }
    }

    @Test func readUntilRegexHonoursMaxBytes() async throws {
        let failed = Box(false)
        try await withServer(handler: { stream in
            do { _ = try await stream.readUntilRegex(/END/, maxBytes: 8) } catch is UnsatisfiableReadError {
                failed.value = true
            }
        }) { port in
            let client = try await connect(port)
            try await client.write("0123456789abcdef")
            _ = await client.waitForClose()
            try await eventually("the server handler saw the error") { failed.value }
        }
    }

    @Test func readBytesWaitsForExactlyNBytesOrReturnsPartialData() async throws {
        let got = Box<[String]>([])
        try await withServer(handler: { stream in
            let exact = try await stream.readBytes(5).text
            let partial = try await stream.readBytes(100, partial: true).text
            got.value = [exact, partial]
            try await stream.write("!")
        }) { port in
            let client = try await connect(port)
            try await client.write("ab")
            try await Task.sleep(for: .milliseconds(20))
            try await client.write("cdefg")
            #expect(try await client.readBytes(1).text == "!")
            #expect(got.value == ["abcde", "fg"])
        }
    }

    @Test func readIntoFillsTheCallersBuffer() async throws {
        let got = Box<[UInt8]>([])
        try await withServer(handler: { stream in
            var buffer = [UInt8](repeating: 0, count: 6)
            let count = try await stream.readInto(&buffer)
            got.value = Array(buffer[0..<count])
            try await stream.write("!")
        }) { port in
            let client = try await connect(port)
            try await client.write("abc")
            try await Task.sleep(for: .milliseconds(20))
            try await client.write("defgh")
            #expect(try await client.readBytes(1).text == "!")
            #expect(got.value == Array("abcdef".utf8))
        }
    }

    @Test func readUntilCloseReturnsEverythingTheServerSent() async throws {
        try await withServer(handler: { stream in
            for index in 0..<50 { try await stream.write("chunk \(index);") }
            stream.close()
        }) { port in
            let client = try await connect(port)
            let all = try await client.readUntilClose().text
            #expect(all == (0..<50).map { "chunk \($0);" }.joined())
            #expect(client.isClosed)
        }
    }

    @Test func aReadNeedingMoreThanMaxBufferSizeFailsWithBufferFull() async throws {
        let outcome = Box<String>("")
        try await withServer(
            maxBufferSize: 4096,
            handler: { stream in
                do {
                    _ = try await stream.readUntil("\n")
                } catch let error as StreamBufferFullError {
                    outcome.value = "\(error)"
                }
            }
        ) { port in
            let client = try await connect(port)
            try? await client.write(String(repeating: "y", count: 64 * 1024))
            _ = await client.waitForClose()
            try await eventually("the server handler saw the error") { !outcome.value.isEmpty }
            #expect(outcome.value == "Reached maximum read buffer size (4096 bytes)")
        }
    }

    @Test func aWriterFacingAReaderThatDoesNotReadStaysBounded() async throws {
        let release = Box(false)
        let received = Box(0)
        try await withServer(
            readChunkSize: 64 * 1024,
            handler: { stream in
                while !release.value { try await Task.sleep(for: .milliseconds(10)) }
                while true {
                    let chunk = try await stream.readBytes(1 << 20, partial: true)
                    received.update { $0 += chunk.readableBytes }
                }
            }
        ) { port in
            let client = try await connect(port)
            let chunk = ByteBuffer(repeating: 0x61, count: 256 * 1024)
            let total = 64 * 1024 * 1024
            let written = Box(0)
            let writer = Task {
                while written.value < total {
                    try await client.write(chunk)
                    written.update { $0 += chunk.readableBytes }
                }
            }
            // Let the writer run into the full socket buffers, then check it is waiting, not buffering.
            var last = -1
            try await eventually("the writer stalls") {
                try await Task.sleep(for: .milliseconds(300))
                defer { last = written.value }
                return written.value == last
            }
            let stalledAt = written.value
            #expect(stalledAt < total / 2, "writer got \(stalledAt) bytes out to a peer that reads nothing")
            release.value = true
            try await writer.value
            try await eventually("the reader has everything") { received.value == total }
            client.close()
        }
    }

    @Test func aPeerClosingMidReadRaisesStreamClosedError() async throws {
        let outcome = Box<String>("")
        try await withServer(handler: { stream in
            do {
                _ = try await stream.readUntil("\n")
            } catch let error as StreamClosedError {
                outcome.value = "closed cause=\(error.cause.map { "\($0)" } ?? "nil")"
            }
        }) { port in
            let client = try await connect(port)
            try await client.write("partial line")
            client.close()
            try await eventually("the server sees the close") { !outcome.value.isEmpty }
            #expect(outcome.value == "closed cause=nil")
        }
    }

    @Test func closingLocallyFailsTheWaitingReadWithTheGivenCause() async throws {
        struct Shutdown: Error {}
        try await withServer(handler: { _ in try await Task.sleep(for: .seconds(30)) }) { port in
            let client = try await connect(port)
            let reader = Task { try await client.readUntil("\n") }
            try await eventually("the read is waiting") { await client.hasPendingRead() }
            client.close(error: Shutdown())
            await #expect(throws: StreamClosedError.self) { try await reader.value }
            do {
                _ = try await reader.value
            } catch let error as StreamClosedError {
                #expect(error.cause is Shutdown)
            }
            #expect(await client.waitForClose() is Shutdown)
            #expect(client.error is Shutdown)
        }
    }

    @Test func readingOrWritingAfterCloseRaisesStreamClosedError() async throws {
        try await withServer(handler: { stream in stream.close() }) { port in
            let client = try await connect(port)
            _ = await client.waitForClose()
            await #expect(throws: StreamClosedError.self) { try await client.readBytes(1) }
            await #expect(throws: StreamClosedError.self) { try await client.write("x") }
        }
    }

    @Test func closeCallbacksRunOnceEvenWhenSetAfterTheClose() async throws {
        try await withServer(handler: { stream in stream.close() }) { port in
            let client = try await connect(port)
            let calls = Box(0)
            client.setCloseCallback { _ in calls.update { $0 += 1 } }
            _ = await client.waitForClose()
            client.setCloseCallback { _ in calls.update { $0 += 1 } }
            try await eventually("both callbacks ran") { calls.value == 2 }
        }
    }

    @Test func aSecondConcurrentReadIsRejected() async throws {
        try await withServer(handler: { _ in try await Task.sleep(for: .seconds(30)) }) { port in
            let client = try await connect(port)
            let first = Task { try await client.readBytes(1) }
            try await eventually("the first read is waiting") { await client.hasPendingRead() }
            await #expect(throws: ConcurrentReadError.self) { try await client.readBytes(1) }
            client.close()
            _ = try? await first.value
        }
    }

    @Test func cancellingAWaitingReadLeavesTheStreamUsable() async throws {
        try await withServer(handler: { stream in
            _ = try await stream.readBytes(1)
            try await stream.write("after\n")
        }) { port in
            let client = try await connect(port)
            let reader = Task { try await client.readUntil("\n") }
            try await eventually("the read is waiting") { await client.hasPendingRead() }
            reader.cancel()
            await #expect(throws: CancellationError.self) { try await reader.value }
            try await client.write("x")
            #expect(try await client.readUntil("\n").text == "after\n")
        }
    }

    @Test func setNoDelayChangesTheSocketOption() async throws {
        try await withServer(handler: { stream in _ = try await stream.readUntilClose() }) { port in
            let client = try await connect(port)
            try await client.setNoDelay(false)
            #expect(try await client.channel.getOption(ChannelOptions.socketOption(.tcp_nodelay)).get() == 0)
            try await client.setNoDelay(true)
            #expect(try await client.channel.getOption(ChannelOptions.socketOption(.tcp_nodelay)).get() != 0)
            client.close()
        }
    }

    @Test func handlersRunOnTheirConnectionsLoop() async throws {
        let onLoop = Box<[Bool]>([])
        try await withServer(handler: { stream in
            onLoop.update { $0.append(stream.loop.inLoop) }
            _ = try await stream.readBytes(1)
            onLoop.update { $0.append(stream.loop.inLoop) }
            try await stream.write("k")
        }) { port in
            let client = try await connect(port)
            try await client.write("x")
            _ = try await client.readBytes(1)
            #expect(onLoop.value == [true, true])
        }
    }
}
