// Debian's libxml2 is built with ICU; its <unicode/*.h> clash with Foundation's bundled ICU
// module in any Swift module importing both. No ICU-dependent field is touched from Swift.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>
#include <libxml/uri.h>

// xmlFree is a global function pointer, which Swift 6 refuses as shared mutable state.
static inline void fw_xmlFree(void *p) { xmlFree(p); }
