/// FIFO queues per host plus the order hosts first asked, so one busy host
/// cannot starve the others and the scheduler never scans blocked jobs.
struct CurlWaitQueue {
    private var queues: [String: [CurlJob]] = [:]
    private var heads: [String: Int] = [:]
    /// Hosts with waiting jobs, in arrival order.
    private(set) var hosts: [String] = []
    private(set) var count = 0

    mutating func append(_ job: CurlJob) {
        if queues[job.hostKey] == nil { hosts.append(job.hostKey); heads[job.hostKey] = 0 }
        queues[job.hostKey, default: []].append(job)
        count += 1
    }

    /// Takes the oldest job of `host`, if any.
    mutating func popFirst(host: String) -> CurlJob? {
        guard let queue = queues[host], let head = heads[host], head < queue.count else { return nil }
        let job = queue[head]
        count -= 1
        if head + 1 == queue.count {
            queues[host] = nil
            heads[host] = nil
            hosts.removeAll { $0 == host }
        } else if head + 1 > 64 && (head + 1) * 2 > queue.count {
            queues[host] = Array(queue[(head + 1)...])           // compact the consumed prefix
            heads[host] = 0
        } else {
            heads[host] = head + 1
        }
        return job
    }

    /// Removes a waiting job by id.
    mutating func remove(id: UInt64) -> CurlJob? {
        for host in hosts {
            guard let queue = queues[host], let head = heads[host],
                  let index = queue[head...].firstIndex(where: { $0.id == id }) else { continue }
            var rest = Array(queue[head...])
            let job = rest.remove(at: index - head)
            count -= 1
            if rest.isEmpty {
                queues[host] = nil
                heads[host] = nil
                hosts.removeAll { $0 == host }
            } else {
                queues[host] = rest
                heads[host] = 0
            }
            return job
        }
        return nil
    }

    /// Empties the queue, returning every waiting job.
    mutating func removeAll() -> [CurlJob] {
        var all: [CurlJob] = []
        for host in hosts { if let q = queues[host], let h = heads[host] { all += q[h...] } }
        self = CurlWaitQueue()
        return all
    }
}
