import NIOCore
import Squall
import SquallTesting
import Testing

/// Interoperability with a second implementation: Python's `websockets` library. CI's `.ci/run` creates a
/// virtualenv with `websockets` and exports `SQUALL_PYTHON`; without such an interpreter these tests are
/// skipped visibly (the condition below shows in the test report), never passed silently.
@Suite(.enabled(if: pythonWithWebsockets != nil, "needs SQUALL_PYTHON or a python3 with the websockets package"))
struct WebSocketPythonInteropTests {
    @Test func pythonsClientTalksToTheSquallServerIncludingCompressionAndCloseCodes() async throws {
        let log = EventLog()
        let rules = [
            try url("/echo", CompressedEchoHandler.self),
            try url("/record", RecordingHandler.self, arguments: ["log": log]),
        ]
        try await withWebSocketServer(rules) { server in
            let script = """
                import asyncio, sys
                from websockets.asyncio.client import connect
                async def main(port):
                    async with connect(f"ws://127.0.0.1:{port}/echo", compression="deflate") as ws:
                        print(ws.response.headers.get("Sec-WebSocket-Extensions"))
                        await ws.send("héllo")
                        print(await ws.recv())
                        await ws.send(bytes(range(256)) * 100)
                        print(len(await ws.recv()))
                        big = "x" * 200000
                        await ws.send(big)
                        print(len(await ws.recv()))
                    async with connect(f"ws://127.0.0.1:{port}/record", subprotocols=["chat"]) as ws:
                        print(ws.subprotocol)
                        await ws.send("close me")
                        try:
                            await ws.recv()
                        except Exception:
                            pass
                        print(ws.close_code, ws.close_reason)
                asyncio.run(main(int(sys.argv[1])))
                """
            let output = try await runPython(script, arguments: [String(server.port)])
            let lines = output.split(separator: "\n").map(String.init)
            #expect(lines == ["permessage-deflate", "héllo", "25600", "200000", "chat", "4002 as asked"])
            await log.wait(for: "close")
        }
    }

    @Test func theSquallClientTalksToPythonsServerIncludingCompression() async throws {
        let script = """
            import asyncio, sys
            from websockets.asyncio.server import serve
            async def echo(ws):
                async for message in ws:
                    if message == "bye":
                        await ws.close(4005, "python says bye")
                        return
                    await ws.send(message)
            async def main():
                async with serve(echo, "127.0.0.1", 0, compression="deflate") as server:
                    port = server.sockets[0].getsockname()[1]
                    print(port, flush=True)
                    await asyncio.sleep(30)
            asyncio.run(main())
            """
        let server = try PythonProcess(script)
        defer { server.stop() }
        let port = try await server.readLine()
        let client = try await websocketConnect(
            "ws://127.0.0.1:\(port)/",
            compressionOptions: WebSocketCompressionOptions()
        )
        #expect(client.extensions?.hasPrefix("permessage-deflate") == true)
        let text = String(repeating: "deflate me ", count: 5000)
        try await client.writeMessage(text)
        #expect(await client.readMessage()?.text == text)
        try await client.writeMessage(binary: [1, 2, 3])
        #expect(await client.readMessage() == .binary(ByteBuffer(bytes: [1, 2, 3])))
        try await client.writeMessage("bye")
        #expect(await client.readMessage() == nil)
        #expect(client.closeCode == 4005)
        #expect(client.closeReason == "python says bye")
    }
}
