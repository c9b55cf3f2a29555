import NIOCore

/// Runs Swift concurrency jobs on one NIO event loop, so tasks started with ``IOLoop/spawn(_:)`` execute on the
/// loop thread and resume there after every `await`, instead of hopping to the global concurrent pool.
///
/// This is what makes a connection's handler code run on its connection's loop (architecture decision 2).
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
