/// A Jira issue key such as `SUP-12`: its project's key, a hyphen and the issue's number.
public struct IssueKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let project: ProjectKey
    public let number: Int

    /// Accepts `SUP-12` (any case; the project part is normalised to upper case). The number is
    /// 1 or more and at most 2³¹ − 1, which is as far as Jira counts.
    public init?(rawValue: String) {
        guard let hyphen = rawValue.lastIndex(of: "-"),
            let project = ProjectKey(rawValue: String(rawValue[..<hyphen]))
        else { return nil }
        let digits = rawValue[rawValue.index(after: hyphen)...]
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Int(digits), (1...Int(Int32.max)).contains(number)
        else { return nil }
        self.project = project
        self.number = number
    }

    public var rawValue: String { "\(project.rawValue)-\(number)" }
    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.project, lhs.number) < (rhs.project, rhs.number)
    }
}
