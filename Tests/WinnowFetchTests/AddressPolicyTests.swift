import Testing
import WinnowFetch

@Suite struct AddressPolicyTests {
    private let policy = AddressPolicy()

    @Test(arguments: [
        ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"), ("10.1.2.3", "private"), ("172.16.0.1", "private"),
        ("172.31.255.255", "private"), ("192.168.1.1", "private"), ("169.254.169.254", "link-local"),
        ("100.64.0.1", "carrier-grade NAT"), ("0.0.0.0", "this-network"), ("224.0.0.1", "multicast"),
        ("255.255.255.255", "reserved"), ("::1", "loopback"), ("::", "unspecified"), ("fe80::1", "link-local"),
        ("fd12:3456::1", "unique-local"), ("ff02::1", "multicast"), ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"), ("::10.0.0.1", "private"), ("64:ff9b::192.168.0.1", "private"),
        ("[::1]", "loopback"),
    ])
    func refuses(address: String, kind: String) throws {
        #expect(policy.refusal(for: try #require(IPAddress(address))) == kind)
    }

    @Test(arguments: ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:1.1.1.1"])
    func allowsPublicAddresses(address: String) throws {
        #expect(policy.refusal(for: try #require(IPAddress(address))) == nil)
    }

    @Test func allowListedNetworksAreAllowed() throws {
        let allowing = AddressPolicy(allowed: [try #require(Network("127.0.0.0/8")), try #require(Network("fd00::/8"))])
        #expect(allowing.refusal(for: try #require(IPAddress("127.0.0.7"))) == nil)
        #expect(allowing.refusal(for: try #require(IPAddress("::ffff:127.0.0.1"))) == nil)
        #expect(allowing.refusal(for: try #require(IPAddress("fd00::5"))) == nil)
        #expect(allowing.refusal(for: try #require(IPAddress("::1"))) == "loopback")
        #expect(allowing.refusal(for: try #require(IPAddress("10.0.0.1"))) == "private")
    }

    @Test func networksParseAndPrint() {
        #expect(Network("10.0.0.0/8")?.description == "10.0.0.0/8")
        #expect(Network("fd00::/8")?.description == "fd00::/8")
        #expect(Network("192.168.1.7")?.description == "192.168.1.7/32")
        #expect(Network("10.0.0.0/33") == nil)
        #expect(Network("not an address") == nil)
    }
}
