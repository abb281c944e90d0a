import CCurl
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// How the fetcher talks to servers (`[fetch]` in the configuration).
public struct FetchSettings: Sendable, Equatable {
    public var userAgent = "winnow/1.0"
    public var connectTimeoutMilliseconds = 10_000
    public var timeoutMilliseconds = 60_000
    /// A transfer slower than `lowSpeedBytes` per second for `lowSpeedSeconds` is aborted.
    public var lowSpeedBytes = 100
    public var lowSpeedSeconds = 20
    /// The most a body may hold once decompressed; counted as it arrives.
    public var maxBodyBytes = 16 << 20
    public var maxRedirects = 10
    public var maxConnections = 16
    public var addressPolicy = AddressPolicy()

    public init() {}
}

/// One transfer to make.
public struct FetchRequest: Sendable, Equatable {
    /// The caller's handle for it (the queue row, or a negative number for robots.txt).
    public var id: Int64
    public var url: String
    /// Validators of an earlier answer, for a conditional request.
    public var etag: String?
    public var lastModified: String?
    /// A smaller body cap for this transfer (robots.txt), else the settings' one.
    public var maxBodyBytes: Int?

    public init(id: Int64, url: String, etag: String? = nil, lastModified: String? = nil, maxBodyBytes: Int? = nil) {
        self.id = id
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.maxBodyBytes = maxBodyBytes
    }
}

/// What a server answered (any status: the caller decides what a 404 or a 503 means).
public struct FetchResponse: Sendable {
    public var status: Int
    /// The URL after redirects.
    public var finalURL: String
    public var contentType: String?
    /// Headers of the last answer, names lowercased (the last value of a repeated header).
    public var headers: [String: String]
    public var body: [UInt8]
    public var redirects: Int
}

/// Why a transfer ended without an answer.
public struct FetchFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The address (after DNS) is loopback, private or otherwise refused: never retried.
        case blockedAddress = "blocked_address"
        case tooLarge = "too_large"
        case tooManyRedirects = "too_many_redirects"
        /// A redirect to a scheme other than http or https.
        case refusedProtocol = "refused_protocol"
        case timedOut = "timed_out"
        /// Slower than the low-speed limit for too long.
        case tooSlow = "too_slow"
        /// DNS, connection, TLS or protocol errors.
        case network
    }

    public var kind: Kind
    public var message: String

    /// Whether trying again later may work.
    public var isTransient: Bool { kind == .timedOut || kind == .tooSlow || kind == .network }

    public var description: String { message }
}

/// libcurl's multi interface behind a small API for one owning thread: `start` transfers, then
/// call `poll` in a loop; it lets curl work, sleeps until a socket is ready, a timeout is due or
/// `wake` is called (from any thread), and returns the transfers that finished. Every connection is
/// checked against the address policy twice: when curl is about to open a socket for a resolved
/// address (CURLOPT_OPENSOCKETFUNCTION) and before every request on a connection, new or reused,
/// including after a redirect (CURLOPT_PREREQFUNCTION).
public final class CurlFetcher: @unchecked Sendable {
    private let settings: FetchSettings
    private let multi: UnsafeMutableRawPointer
    private var transfers: [UnsafeMutableRawPointer: Transfer] = [:]

    /// `curl_global_init`, once per process, before any thread uses curl.
    public static func initializeLibrary() {
        _ = globalInit
    }

    private static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    public init(settings: FetchSettings) throws {
        Self.initializeLibrary()
        guard let multi = curl_multi_init() else {
            throw FetchFailure(kind: .network, message: "curl_multi_init failed")
        }
        self.multi = multi
        self.settings = settings
        winnow_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, settings.maxConnections)
    }

    deinit {
        for (handle, transfer) in transfers {
            curl_multi_remove_handle(multi, handle)
            transfer.close()
        }
        curl_multi_cleanup(multi)
    }

    /// Transfers started and not yet returned by `poll`.
    public var activeCount: Int { transfers.count }

    /// Starts a transfer (call from the owning thread).
    public func start(_ request: FetchRequest) {
        let transfer = Transfer(request: request, settings: settings)
        guard let handle = transfer.handle else { return }
        transfers[handle] = transfer
        curl_multi_add_handle(multi, handle)
    }

    /// Interrupts a `poll` in progress. Safe from any thread.
    public func wake() {
        curl_multi_wakeup(multi)
    }

    /// Lets curl work for at most `timeout`, then returns every transfer that finished.
    public func poll(timeout: Duration) -> [(request: FetchRequest, result: Result<FetchResponse, FetchFailure>)] {
        var running: Int32 = 0
        curl_multi_perform(multi, &running)
        var finished = collect()
        if finished.isEmpty {
            let milliseconds = Int32(
                clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
            curl_multi_poll(multi, nil, 0, milliseconds, nil)
            curl_multi_perform(multi, &running)
            finished = collect()
        }
        return finished
    }

    private func collect() -> [(request: FetchRequest, result: Result<FetchResponse, FetchFailure>)] {
        var done: [(request: FetchRequest, result: Result<FetchResponse, FetchFailure>)] = []
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let transfer = transfers.removeValue(forKey: handle)
            else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, handle)
            done.append((transfer.request, transfer.result(code)))
            transfer.close()
        }
        return done
    }
}

/// One easy handle, its buffers and what its callbacks saw.
private final class Transfer {
    let request: FetchRequest
    private(set) var handle: UnsafeMutableRawPointer?
    private let policy: AddressPolicy
    private let limit: Int
    private var body: [UInt8] = []
    private var headers: [String: String] = [:]
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    /// Set by a callback that refused an address: "127.0.0.1 (loopback)".
    var blocked: String?
    var overLimit = false

    init(request: FetchRequest, settings: FetchSettings) {
        self.request = request
        policy = settings.addressPolicy
        limit = request.maxBodyBytes ?? settings.maxBodyBytes
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        guard let handle = curl_easy_init() else { return }
        self.handle = handle
        let context = Unmanaged.passUnretained(self).toOpaque()
        winnow_easy_setopt_string(handle, CURLOPT_URL, request.url)
        winnow_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        winnow_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        winnow_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        winnow_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        winnow_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
        winnow_easy_setopt_long(handle, CURLOPT_MAXREDIRS, settings.maxRedirects)
        winnow_easy_setopt_string(handle, CURLOPT_USERAGENT, settings.userAgent)
        // Every encoding this libcurl decodes (gzip, deflate, br, zstd as built); bodies arrive decoded.
        winnow_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        winnow_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, settings.connectTimeoutMilliseconds)
        winnow_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, settings.timeoutMilliseconds)
        winnow_easy_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, settings.lowSpeedBytes)
        winnow_easy_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, settings.lowSpeedSeconds)
        // Refused early when the server declares the length; the write callback counts the rest.
        winnow_easy_setopt_offset(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(limit))
        winnow_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, transferReceiveBody)
        winnow_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        winnow_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, transferReceiveHeader)
        winnow_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        winnow_easy_setopt_opensocket(handle, transferOpenSocket)
        winnow_easy_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, context)
        winnow_easy_setopt_prereq(handle, transferBeforeRequest)
        winnow_easy_setopt_pointer(handle, CURLOPT_PREREQDATA, context)
        var lines = ["Accept: text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"]
        if let etag = request.etag { lines.append("If-None-Match: \(etag)") }
        if let lastModified = request.lastModified { lines.append("If-Modified-Since: \(lastModified)") }
        for line in lines { headerList = curl_slist_append(headerList, line) }
        winnow_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, headerList)
    }

    func close() {
        if let handle { curl_easy_cleanup(handle) }
        handle = nil
        curl_slist_free_all(headerList)
        headerList = nil
        errorBuffer.deallocate()
    }

    /// The body callback: appends, or stops the transfer once the cap would be passed.
    func receiveBody(_ data: UnsafeRawBufferPointer) -> Int {
        guard body.count + data.count <= limit else {
            overLimit = true
            return 0
        }
        body.append(contentsOf: data)
        return data.count
    }

    /// The header callback, once per header line; a status line starts a new answer (after a
    /// redirect or a 100 Continue), so only the last answer's headers are kept.
    func receiveHeader(_ data: UnsafeRawBufferPointer) {
        let line = String(decoding: data, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers.removeAll()
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = String(line[line.index(after: colon)...].trimmingASCIIWhitespace())
        headers[name] = value
    }

    /// Why an address may not be connected to, remembered for the result.
    func refuse(_ address: IPAddress?) -> Bool {
        guard let address else {
            blocked = "an address of an unknown family"
            return true
        }
        guard let kind = policy.refusal(for: address) else { return false }
        blocked = "\(address) (\(kind))"
        return true
    }

    func result(_ code: CURLcode) -> Result<FetchResponse, FetchFailure> {
        let message = String(cString: errorBuffer)
        let detail = message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
        if let blocked {
            return .failure(FetchFailure(kind: .blockedAddress, message: "refused to connect to \(blocked)"))
        }
        if overLimit || code == CURLE_FILESIZE_EXCEEDED {
            return .failure(FetchFailure(kind: .tooLarge, message: "the body is larger than \(limit) bytes"))
        }
        switch code {
        case CURLE_OK:
            break
        case CURLE_TOO_MANY_REDIRECTS:
            return .failure(FetchFailure(kind: .tooManyRedirects, message: detail))
        case CURLE_UNSUPPORTED_PROTOCOL:
            return .failure(
                FetchFailure(kind: .refusedProtocol, message: "\(detail) (only http and https are fetched)"))
        case CURLE_OPERATION_TIMEDOUT:
            let slow = detail.contains("too slow")
            return .failure(FetchFailure(kind: slow ? .tooSlow : .timedOut, message: detail))
        default:
            return .failure(FetchFailure(kind: .network, message: detail))
        }
        guard let handle else { return .failure(FetchFailure(kind: .network, message: "no handle")) }
        var status = 0
        winnow_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var redirects = 0
        winnow_easy_getinfo_long(handle, CURLINFO_REDIRECT_COUNT, &redirects)
        var text: UnsafeMutablePointer<CChar>?
        winnow_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &text)
        let finalURL = text.map { String(cString: $0) } ?? request.url
        text = nil
        winnow_easy_getinfo_string(handle, CURLINFO_CONTENT_TYPE, &text)
        return .success(
            FetchResponse(
                status: status, finalURL: finalURL, contentType: text.map { String(cString: $0) }, headers: headers,
                body: body, redirects: redirects))
    }
}

// The callbacks are C function pointers: they capture nothing and find their transfer through the
// context pointer libcurl hands back.

private func transferReceiveBody(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

private func transferReceiveHeader(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        .receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

private func transferOpenSocket(
    _ context: UnsafeMutableRawPointer?, _ purpose: curlsocktype, _ address: UnsafeMutablePointer<curl_sockaddr>?
) -> curl_socket_t {
    guard let context, let address else { return winnow_socket_bad() }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let offset = MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr)!
    let socketAddress = UnsafeRawPointer(address).advanced(by: offset).assumingMemoryBound(to: sockaddr.self)
    if transfer.refuse(IPAddress(socketAddress)) { return winnow_socket_bad() }
    let entry = address.pointee
    return socket(entry.family, entry.socktype | Int32(SOCK_CLOEXEC.rawValue), entry.protocol)
}

private func transferBeforeRequest(
    _ context: UnsafeMutableRawPointer?, _ primaryIP: UnsafeMutablePointer<CChar>?,
    _ localIP: UnsafeMutablePointer<CChar>?, _ primaryPort: Int32, _ localPort: Int32
) -> Int32 {
    guard let context, let primaryIP else { return CURL_PREREQFUNC_ABORT }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.refuse(IPAddress(String(cString: primaryIP))) ? CURL_PREREQFUNC_ABORT : CURL_PREREQFUNC_OK
}
