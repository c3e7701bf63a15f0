import Hummingbird
import NIOCore

/// The request context of the mock's router. It keeps the connection's channel so that a `drop`
/// fault can close it without writing an answer.
public struct MockRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
