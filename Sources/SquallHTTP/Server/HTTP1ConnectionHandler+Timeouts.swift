import NIOCore
import SquallIO

extension HTTP1ConnectionHandler {
    /// Starts a phase that must end within `timeout` (or removes the limit with `nil`).
    ///
    /// Timeouts are checked by one timer per connection that re-arms itself, instead of a NIO scheduled task
    /// armed and cancelled for every request: the timer fires at most every ``checkInterval`` (the shortest
    /// configured timeout), and every deadline is at least that far away when set, so no deadline is missed
    /// and none fires early.
    func setDeadline(_ timeout: Duration?) {
        guard let timeout else {
            deadline = nil
            return
        }
        deadline = NIODeadline.now() + TimeAmount(timeout)
        if deadlineCheck == nil { armDeadlineCheck(in: checkInterval) }
    }

    var checkInterval: TimeAmount {
        let limits = [options.headerTimeout, options.bodyTimeout, options.idleConnectionTimeout as Duration?]
        return TimeAmount(limits.compactMap { $0 }.min() ?? options.idleConnectionTimeout)
    }

    func armDeadlineCheck(in delay: TimeAmount) {
        deadlineCheck = loop.eventLoop.scheduleTask(in: max(delay, .milliseconds(1))) { [weak self] in
            self?.checkDeadline()
        }
    }

    func checkDeadline() {
        deadlineCheck = nil
        guard !closed, let deadline else { return }
        let now = NIODeadline.now()
        if now >= deadline {
            timedOut()
        } else {
            armDeadlineCheck(in: min(checkInterval, deadline - now))
        }
    }

    /// The first bytes of a request ended the idle wait and start the header timeout.
    func bytesArrived() {
        guard case .idle = state, !readingHead, !closed else { return }
        readingHead = true
        setDeadline(options.headerTimeout)
    }

    func timedOut() {
        // Tornado closes a connection whose client stalls; there is nobody to answer.
        close()
    }
}
