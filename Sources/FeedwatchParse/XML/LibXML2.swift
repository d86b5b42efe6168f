import CLibXML2

/// libxml2 2.9 must be initialised once before threads use it concurrently; a
/// Swift static is initialised exactly once, thread-safely.
enum LibXML2 {
    static let ready: Bool = {
        xmlInitParser()
        return true
    }()
}
