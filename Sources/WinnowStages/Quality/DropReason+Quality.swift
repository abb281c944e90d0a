import WinnowCore

extension DropReason {
    /// A document-quality drop: reason `quality.<rule>`, with the measured value and the threshold it broke.
    static func quality(_ rule: String, value: Double, threshold: Double) -> DropReason {
        let rounded = (value * 10_000).rounded() / 10_000
        return DropReason("quality.\(rule)", details: ["value": .double(rounded), "threshold": .double(threshold)])
    }

    /// A document-quality drop on a count.
    static func quality(_ rule: String, count: Int, threshold: Int) -> DropReason {
        DropReason("quality.\(rule)", details: ["value": .int(count), "threshold": .int(threshold)])
    }
}
