/// Names of inbox files: `name` at the inbox's top, or `folder/name` in one of the folders
/// directly in it (folders are one level deep).
public enum InboxName {
    /// Whether a file or folder name (one path component) is an input. Dotfiles (`.name.tmp`
    /// while a producer writes), `*.tmp` and `*.part` are work in progress by the inbox protocol
    /// and are never taken.
    public static func accepts(_ component: some StringProtocol) -> Bool {
        !component.hasPrefix(".") && !component.hasSuffix(".tmp") && !component.hasSuffix(".part")
    }

    /// The folder of `folder/name`; `nil` for a name at the inbox's top.
    public static func folder(of name: String) -> Substring? {
        name.firstIndex(of: "/").map { name[..<$0] }
    }

    /// The file's own name: `name` of `folder/name`.
    public static func fileName(of name: String) -> Substring {
        name.lastIndex(of: "/").map { name[name.index(after: $0)...] } ?? name[...]
    }
}

extension Document {
    /// The inbox folder the document's file was dropped in (`metadata.file` is `folder/name`).
    public var inboxFolder: Substring? {
        metadata["file"]?.stringValue.flatMap { InboxName.folder(of: $0) }
    }
}
