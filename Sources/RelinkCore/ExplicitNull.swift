/// An optional that synthesized `Encodable` writes as `null` when it is nil, where it would leave
/// the key out: for JSON documents whose every key is always there (`--json`), without a
/// hand-written `encode(to:)` that exists only to write the nulls.
@propertyWrapper
public struct ExplicitNull<Value: Encodable>: Encodable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension ExplicitNull: Sendable where Value: Sendable {}
