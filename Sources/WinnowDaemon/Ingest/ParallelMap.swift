import Dispatch
import Synchronization

/// Maps a group of items on several threads at once (the calling thread among them), for the
/// stages that depend on a document alone: each thread takes the next item not yet taken, so one
/// long document does not hold the others back, and the results come back in the items' order.
struct ParallelMap: Sendable {
    /// Threads working on one group, the caller included.
    let workers: Int

    func map<Item: Sendable, Result: Sendable>(_ items: [Item], _ transform: @Sendable (Item) -> Result) -> [Result] {
        guard workers > 1, items.count > 1 else { return items.map(transform) }
        let slots = Slots<Result>(count: items.count)
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(workers, items.count)) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < items.count else { return }
                slots.store(transform(items[index]), at: index)
            }
        }
        return slots.results()
    }
}

/// The results of one `map`, each slot written by exactly one thread and read after all of them
/// have finished (`concurrentPerform` returns only then).
private final class Slots<Result>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Result?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func store(_ result: Result, at index: Int) { storage[index] = result }

    func results() -> [Result] { storage.map { $0! } }
}
