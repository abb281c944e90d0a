import Foundation
import ServiceLifecycle

/// Runs a blocking loop on its own thread as a `Service`: graceful shutdown (or cancellation) calls
/// `stop`, and the service returns when the loop does, rethrowing its error.
struct ThreadService: Service {
    let name: String
    let body: @Sendable () throws -> Void
    let stop: @Sendable () -> Void

    func run() async throws {
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let thread = Thread {
                        do {
                            try body()
                            continuation.resume()
                        } catch {
                            continuation.resume(throwing: error)
                        }
                    }
                    thread.name = name
                    thread.start()
                }
            } onGracefulShutdown: {
                stop()
            }
        } onCancel: {
            stop()
        }
    }
}
