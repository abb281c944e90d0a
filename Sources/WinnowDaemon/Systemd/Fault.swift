import WinnowCore

#if canImport(Glibc)
    import Glibc
#endif

/// A test-only fault switch: when the environment sets `WINNOW_TEST_HANG_ON` (the shipped unit never
/// does), a document whose text contains that marker makes the pipeline hang, so tests can watch
/// the systemd watchdog restart a daemon whose processing path is stuck while its process lives on.
enum Fault {
    private static let marker: String? = {
        guard let value = getenv("WINNOW_TEST_HANG_ON") else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }()

    static func hangIfAsked(_ document: Document) {
        guard let marker, document.text.contains(marker) else { return }
        while true { sleep(3600) }
    }
}
