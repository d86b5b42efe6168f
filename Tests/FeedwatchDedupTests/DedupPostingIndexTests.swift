import Testing
@testable import FeedwatchDedup

@Suite("PostingIndex")
struct DedupPostingIndexTests {
    private func slots(_ index: PostingIndex, _ key: UInt32) -> Set<UInt32> {
        var out = Set<UInt32>()
        index.forEach(key) { out.insert($0) }
        return out
    }

    @Test("Finds every posting of a key across growth, and none of absent keys")
    func growth() {
        var index = PostingIndex(cap: 100)
        for slot in 0..<20_000 as Range<UInt32> { index.insert(slot &* 2_654_435_761, slot: slot) }
        index.insert(7, slot: 1)
        index.insert(7, slot: 2)
        #expect(index.postingCount == 20_002)
        #expect(slots(index, 7) == [1, 2])
        #expect(slots(index, 12_345 &* 2_654_435_761) == [12_345])
        #expect(slots(index, 3).isEmpty)
    }

    @Test("A hot key keeps only its newest postings")
    func cap() {
        var index = PostingIndex(cap: 4)
        for slot in 0..<10 as Range<UInt32> { index.insert(42, slot: slot) }
        #expect(slots(index, 42) == [6, 7, 8, 9])
        #expect(index.postingCount == 4)
    }
}
