#if canImport(Glibc)
import CMalloc
#endif

/// glibc's allocator settings for a long-running daemon whose threads churn through feed text.
///
/// By default glibc gives each busy thread an arena of its own and raises its mmap threshold
/// each time a large block is freed, so the index's columns and posting tables, once regrown,
/// come from arenas that never shrink. On a cold 2,000-feed pass (70,000 stories) the peak RSS
/// was 161 MB by default, 121 MB with two arenas and the fixed threshold. Two arenas became too
/// few once the fetch threads were joined by the page reader's and every entry took a few more
/// allocations: the parse threads queued on the arenas' locks (a tenth of a cold pass's CPU in
/// futex wake-ups). Four keep the threads apart; peak RSS on the 1,000-feed bench pass went
/// from 59–61 MB to 60–62 MB.
public enum MallocTuning {
    /// Call first thing, before the work starts threads.
    public static func apply() {
        #if canImport(Glibc)
        _ = mallopt(M_ARENA_MAX, 4)
        // Blocks of 256 KiB and more come straight from mmap and go back to the system when freed.
        _ = mallopt(M_MMAP_THRESHOLD, 256 * 1024)
        #endif
    }
}
