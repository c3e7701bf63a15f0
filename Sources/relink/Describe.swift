import Foundation

/// What went wrong, in words: the system's own (`No such file or directory`), not Foundation's
/// error dump with its domain, code and user info.
func describe(_ error: any Error) -> String {
    let nsError = error as NSError
    let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError ?? nsError
    if underlying.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(underlying.code))) }
    if nsError.domain == NSCocoaErrorDomain { return underlying.localizedDescription }
    return "\(error)"
}
