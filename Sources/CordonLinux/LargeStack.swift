import Glibc

/// Runs `body` on a thread with a large stack and waits for it. The front
/// end and the code generators recurse along a policy's structure (the code
/// generators once per statement of a sequence, the checker once per term of
/// an `||` chain); a large policy needs more than the main thread's 8 MiB. The stack is reserved address space: only the
/// pages touched are used. The thread is joined before this returns, so the
/// process is single-threaded again (the kernel probe's fork needs that).
public enum LargeStack {
    public static let size = 1 << 30

    public static func run<T>(_ body: @escaping () -> T) -> T {
        let box = LargeStackBox(body)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        var thread = pthread_t()
        let started = pthread_attr_setstacksize(&attributes, size) == 0
            && pthread_create(&thread, &attributes, { context in
                let box = Unmanaged<AnyLargeStackBox>.fromOpaque(context!).takeUnretainedValue()
                box.runBody()
                return nil
            }, Unmanaged.passUnretained(box as AnyLargeStackBox).toOpaque()) == 0
        guard started else { return body() }  // no thread: run here, as deep as the stack allows
        pthread_join(thread, nil)
        return box.result!
    }
}

/// The thread's view of the work: run it and keep the result.
public class AnyLargeStackBox: @unchecked Sendable {
    public func runBody() {}
}

/// The work and its result, shared with the thread until it is joined.
public final class LargeStackBox<T>: AnyLargeStackBox, @unchecked Sendable {
    let body: () -> T
    var result: T?
    init(_ body: @escaping () -> T) { self.body = body }
    override public func runBody() { result = body() }
}
