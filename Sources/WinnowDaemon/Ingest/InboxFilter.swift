/// Which inbox names are inputs. Dotfiles (`.name.tmp` while a producer writes), `*.tmp` and
/// `*.part` are work in progress by the inbox protocol and are never taken.
enum InboxFilter {
    static func accepts(_ name: String) -> Bool {
        !name.hasPrefix(".") && !name.hasSuffix(".tmp") && !name.hasSuffix(".part")
    }
}
