import WinnowIO
import WinnowText

// winnow-extract IN_DIR OUT_DIR [--metadata]: extracts the article text of every NAME.html / NAME.html.gz
// in IN_DIR into OUT_DIR/NAME.txt and prints the throughput (pages/s and MB/s of HTML, extraction only).
// With --metadata, also prints one tab-separated line per page: name, title, author, published, language.
#if canImport(Glibc)
    import Glibc
#endif

func report(_ message: String) {
    var line = "winnow-extract: \(message)\n"
    line.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    report(message)
    exit(2)
}

func readAll(_ source: any ByteSource) throws -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 256 * 1024)
    while true {
        let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
        if count == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<count])
    }
}

func listDirectory(_ path: String) -> [String] {
    guard let directory = opendir(path) else { fail("cannot open \(path)") }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name.hasSuffix(".html") || name.hasSuffix(".html.gz") { names.append(name) }
    }
    return names.sorted()
}

func write(_ text: String, to path: String) {
    guard let file = fopen(path, "wb") else { fail("cannot write \(path)") }
    var text = text
    text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
}

func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale)
    let fraction = String(scaled % Int(scale))
    return digits == 0 ? "\(whole)" : "\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
}

func seconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

let printMetadata = CommandLine.arguments.contains("--metadata")
let arguments = CommandLine.arguments.filter { $0 != "--metadata" }
guard arguments.count == 3 else { fail("usage: winnow-extract IN_DIR OUT_DIR [--metadata]") }
let (input, output) = (arguments[1], arguments[2])
mkdir(output, 0o755)

var pages: [(name: String, html: String)] = []
var htmlBytes = 0
for file in listDirectory(input) {
    let path = input + "/" + file
    do {
        let source = try FileByteSource(path: path)
        let bytes = file.hasSuffix(".gz") ? try readAll(GzipByteSource(source)) : try readAll(source)
        htmlBytes += bytes.count
        let name = String(file.dropLast(file.hasSuffix(".gz") ? 8 : 5))
        pages.append((name, UTF8Repair.repair(bytes).text))
    } catch {
        report("\(path): \(error)")
    }
}

var results: [(name: String, article: ExtractedArticle)] = []
results.reserveCapacity(pages.count)
let start = seconds()
for page in pages {
    results.append((page.name, ArticleExtractor.extract(html: page.html)))
}
let elapsed = seconds() - start
for result in results {
    write(result.article.text + "\n", to: output + "/" + result.name + ".txt")
    if printMetadata {
        let article = result.article
        let fields = [article.title, article.author, article.published, article.language].map { $0 ?? "-" }
        print(([result.name] + fields).joined(separator: "\t"))
    }
}

let megabytes = Double(htmlBytes) / 1_000_000
print(
    "\(pages.count) pages, \(fixed(megabytes, 1)) MB of HTML in \(fixed(elapsed, 2)) s: "
        + "\(fixed(Double(pages.count) / elapsed, 1)) pages/s, "
        + "\(fixed(megabytes / elapsed, 1)) MB/s"
)
