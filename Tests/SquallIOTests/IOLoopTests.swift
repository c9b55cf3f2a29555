import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import SquallIO

@Suite struct IOLoopTests {
    @Test func currentIsTheCallingLoopOnALoopThreadAndTheMainLoopElsewhere() async throws {
        let group = IOLoopGroup(loopCount: 2)
        let second = group.loops[1]
        let seen = try await second.eventLoop.submit { IOLoop.current }.get()
        #expect(seen == second)
        #expect(seen.index == 1)
        #expect(IOLoop.current == IOLoopGroup.shared.loops[0])
        try await group.shutdown()
    }

    @Test func groupsHaveOneLoopPerRequestedThreadAndHandThemOutRoundRobin() async throws {
        let group = IOLoopGroup(loopCount: 3)
        #expect(group.loops.map(\.index) == [0, 1, 2])
        let picks = (0..<6).map { _ in group.next().index }
        #expect(picks == [0, 1, 2, 0, 1, 2])
        #expect(IOLoopGroup.shared.loops.count == System.coreCount)
        try await group.shutdown()
    }

    @Test func addCallbackRunsOnTheLoopThread() async throws {
        let loop = IOLoopGroup.shared.next()
        let ranOnLoop = await withCheckedContinuation { continuation in
            loop.addCallback { continuation.resume(returning: loop.inLoop) }
        }
        #expect(ranOnLoop)
    }

    @Test func callLaterRunsAfterTheDelayAndCancelStopsIt() async throws {
        let loop = IOLoop.current
        let fired = Box<[String]>([])
        let start = loop.time()
        let firedAt = Box(0.0)
        loop.callLater(.milliseconds(50)) {
            firedAt.value = loop.time()
            fired.update { $0.append("kept") }
        }
        let cancelled = loop.callLater(.milliseconds(20)) { fired.update { $0.append("cancelled") } }
        loop.removeTimeout(cancelled)
        try await eventually("the kept callback ran") { fired.value.contains("kept") }
        try await Task.sleep(for: .milliseconds(50))
        #expect(fired.value == ["kept"])
        #expect(firedAt.value - start >= 0.049)
    }

    @Test func callAtRunsAtALoopTimeAndAtOnceForAPastTime() async throws {
        let loop = IOLoop.current
        let order = Box<[String]>([])
        let now = loop.time()
        loop.callAt(now + 0.05) { order.update { $0.append("future") } }
        loop.callAt(now - 10) { order.update { $0.append("past") } }
        try await eventually("both ran") { order.value.count == 2 }
        #expect(order.value == ["past", "future"])
    }

    @Test func timeIsMonotonicSeconds() async throws {
        let loop = IOLoop.current
        let first = loop.time()
        try await Task.sleep(for: .milliseconds(20))
        let second = loop.time()
        #expect(second - first >= 0.019)
        #expect(second - first < 60)
    }

    @Test func runInExecutorRunsBlockingWorkOffTheLoop() async throws {
        let loop = IOLoopGroup.shared.next()
        let result = try await loop.spawn { () async throws -> (Bool, Int) in
            let (onLoop, value) = try await loop.runInExecutor { () -> (Bool, Int) in
                (MultiThreadedEventLoopGroup.currentEventLoop != nil, 6 * 7)
            }
            return (onLoop, value)
        }.value
        #expect(result.0 == false)
        #expect(result.1 == 42)
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await loop.runInExecutor { throw Boom() } }
    }

    @Test func spawnedTasksStayOnTheirLoopAcrossAwaits() async throws {
        let loop = IOLoopGroup.shared.loops[0]
        let checks = await loop.spawn { () async -> [Bool] in
            var checks = [loop.inLoop]
            try? await Task.sleep(for: .milliseconds(5))
            checks.append(loop.inLoop)
            await Task.yield()
            checks.append(loop.inLoop)
            return checks
        }.value
        #expect(checks == [true, true, true])
    }

    @Test func spawnImmediatelyRunsInlineOnItsLoopUntilTheFirstSuspension() async throws {
        let loop = IOLoopGroup.shared.next()
        let order = try await loop.eventLoop.submit { () -> [String] in
            let log = Box<[String]>([])
            log.update { $0.append("before") }
            loop.spawnImmediately {
                log.update { $0.append("inline, on loop=\(loop.inLoop)") }
            }
            log.update { $0.append("after") }
            return log.value
        }.get()
        #expect(order == ["before", "inline, on loop=true", "after"])
        // Called off the loop it is an ordinary spawn: the task still runs on the loop.
        let onLoop = await loop.spawnImmediately { loop.inLoop }.value
        #expect(onLoop)
    }

    @Test func startBlocksUntilStopIsCalled() async throws {
        let group = IOLoopGroup(loopCount: 1)
        let loop = group.loops[0]
        let returned = Box(false)
        let thread = Thread {
            try? loop.start(); returned.value = true
        }
        thread.start()
        try await Task.sleep(for: .milliseconds(50))
        #expect(returned.value == false)
        loop.addCallback { loop.stop() }
        try await eventually("start() returned") { returned.value }
        try await group.shutdown()
    }

    @Test func stopBeforeStartMakesTheNextStartReturnAtOnce() async throws {
        let group = IOLoopGroup(loopCount: 1)
        let loop = group.loops[0]
        loop.stop()
        try await loop.run()
        try await group.shutdown()
    }

    @Test func startOnALoopThreadIsAnErrorNotADeadlock() async throws {
        let loop = IOLoopGroup.shared.next()
        let error = try await loop.eventLoop.submit { () -> IOLoopError? in
            do { try loop.start() } catch let error as IOLoopError { return error } catch {}
            return nil
        }.get()
        #expect(error == .startedOnLoopThread)
    }

    @Test func aSecondRunWhileRunningIsAnError() async throws {
        let group = IOLoopGroup(loopCount: 1)
        let loop = group.loops[0]
        let first = Task { try await loop.run() }
        try await Task.sleep(for: .milliseconds(30))
        await #expect(throws: IOLoopError.alreadyRunning) { try await loop.run() }
        loop.stop()
        try await first.value
        try await group.shutdown()
    }
}

/// A minimal thread wrapper for tests that need a caller blocked outside every loop.
final class Thread: Sendable {
    private let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    func start() {
        NIOThreadPool.singleton.submit { _ in self.body() }
    }
}
